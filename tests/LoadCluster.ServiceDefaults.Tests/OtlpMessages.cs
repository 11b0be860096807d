using System.Text;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>A span as OTLP carried it: who sent it, its ids (hex), name, attributes and the spans it links to.</summary>
internal sealed record OtlpSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> Links)
{
    /// <summary>The sender's <c>service.instance.id</c> (a web replica's name).</summary>
    public string Instance { get; init; } = "";

    /// <summary>Start and end, Unix nanoseconds.</summary>
    public ulong Start { get; init; }

    public ulong End { get; init; }

    public bool IsRoot => ParentSpanId.Length == 0;

    public string Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : "";
}

/// <summary>A metric as OTLP carried it, with every attribute set of its data points (<c>key=value</c>, sorted, comma-separated).</summary>
internal sealed record OtlpMetric(string Service, string Scope, string Name, string Unit, IReadOnlyList<string> PointAttributes);

/// <summary>
/// Reads OTLP/HTTP protobuf bodies (opentelemetry-proto's ExportTraceServiceRequest and
/// ExportMetricsServiceRequest) by their field numbers, enough to check what the exporter sent.
/// </summary>
internal static class OtlpMessages
{
    public static IEnumerable<OtlpSpan> Spans(byte[] body) =>
        Items(body).Select(i => new OtlpSpan(i.Service, i.Scope, Hex(i.Item, 1), Hex(i.Item, 2), Hex(i.Item, 4), Text(i.Item, 5),
            Attributes(i.Item, 9), [.. Messages(i.Item, 13).Select(link => Hex(link, 2))])
        {
            Instance = i.Instance, Start = Fixed64(i.Item, 7), End = Fixed64(i.Item, 8),
        });

    public static IEnumerable<OtlpMetric> Metrics(byte[] body) => Items(body).Select(i =>
    {
        // gauge 5, sum 7 (number points: attributes 7); histogram 9 (attributes 9).
        var points = Messages(i.Item, 5).Concat(Messages(i.Item, 7)).SelectMany(data => Messages(data, 1)).Select(p => Attributes(p, 7))
            .Concat(Messages(i.Item, 9).SelectMany(data => Messages(data, 1)).Select(p => Attributes(p, 9)));
        return new OtlpMetric(i.Service, i.Scope, Text(i.Item, 1), Text(i.Item, 3),
            [.. points.Select(a => string.Join(",", a.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")))]);
    });

    /// <summary>
    /// Both requests nest alike: resource items (1), each a resource (1) and scope items (2), each a
    /// scope (1) and its spans or metrics (2).
    /// </summary>
    private static IEnumerable<(string Service, string Instance, string Scope, ReadOnlyMemory<byte> Item)> Items(byte[] body) =>
        from resourceItem in Messages(body, 1)
        let service = Resource(resourceItem, "service.name")
        let instance = Resource(resourceItem, "service.instance.id")
        from scopeItem in Messages(resourceItem, 2)
        let scope = Messages(scopeItem, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? ""
        from item in Messages(scopeItem, 2)
        select (service, instance, scope, item);

    private static string Resource(ReadOnlyMemory<byte> resourceItem, string attribute) =>
        Messages(resourceItem, 1).Select(resource => Attributes(resource, 1)).Select(a => a.GetValueOrDefault(attribute, "")).FirstOrDefault() ?? "";

    private static Dictionary<string, string> Attributes(ReadOnlyMemory<byte> message, int field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Messages(message, field))
        {
            var value = Messages(keyValue, 2).FirstOrDefault();
            result[Text(keyValue, 1)] = AnyValue(value);
        }
        return result;
    }

    // AnyValue: string 1, bool 2, int 3, double 4.
    private static string AnyValue(ReadOnlyMemory<byte> value)
    {
        foreach (var (field, wire, bytes, number) in Fields(value))
        {
            return (field, wire) switch
            {
                (1, 2) => Encoding.UTF8.GetString(bytes.Span),
                (2, 0) => number != 0 ? "true" : "false",
                (3, 0) => ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (4, 1) => BitConverter.Int64BitsToDouble((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }
        return "";
    }

    private static ulong Fixed64(ReadOnlyMemory<byte> message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Wire == 1).Select(f => f.Number).FirstOrDefault();

    private static string Text(ReadOnlyMemory<byte> message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Wire == 2).Select(f => Encoding.UTF8.GetString(f.Bytes.Span)).FirstOrDefault() ?? "";

    private static string Hex(ReadOnlyMemory<byte> message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Wire == 2).Select(f => Convert.ToHexStringLower(f.Bytes.Span)).FirstOrDefault() ?? "";

    private static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int field) =>
        Fields(message).Where(f => f.Field == field && f.Wire == 2).Select(f => f.Bytes);

    /// <summary>The protobuf wire format: a varint key (field number, wire type), then a varint, 8 bytes, a length-prefixed run, or 4 bytes.</summary>
    private static IEnumerable<(int Field, int Wire, ReadOnlyMemory<byte> Bytes, ulong Number)> Fields(ReadOnlyMemory<byte> message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message.Span, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0:
                    yield return (field, wire, default, Varint(message.Span, ref at));
                    break;
                case 1:
                    yield return (field, wire, default, BitConverter.ToUInt64(message.Span.Slice(at, 8)));
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref at);
                    yield return (field, wire, message.Slice(at, length), 0);
                    at += length;
                    break;
                case 5:
                    yield return (field, wire, default, BitConverter.ToUInt32(message.Span.Slice(at, 4)));
                    at += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire} at byte {at}: not an OTLP protobuf message");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
