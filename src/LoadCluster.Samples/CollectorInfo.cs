using System.Text.Json;

namespace LoadCluster.Samples;

/// <summary>
/// What a running collector says about itself, stored at <see cref="RedisNames.Collector"/> with a
/// time to live, so the Web can list live collectors.
/// </summary>
/// <remarks>Wire format: <c>{"host":"web-1","intervalMs":1000,"startedAt":1763750000000,"pid":42,"version":"1.0.0"}</c>
/// (startedAt in Unix milliseconds).</remarks>
public sealed record CollectorInfo(string Host, int IntervalMs, long StartedAt, int Pid, string Version)
{
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SampleJsonContext.Default.CollectorInfo);

    /// <summary>Parses the stored JSON; null when it is not a collector record.</summary>
    public static CollectorInfo? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var info = JsonSerializer.Deserialize(utf8, SampleJsonContext.Default.CollectorInfo);
            return info is { Host: not null, Version: not null } ? info : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
