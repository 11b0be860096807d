using LoadCluster.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// What a running cluster (web replicas and a collector as processes, a real Redis) exports over
/// OTLP: traces by unit of work, no Redis command as a trace of its own, and the app's meters.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ClusterTelemetryTests(ITestOutputHelper output)
{
    /// <summary>The instrumentation Aspire.StackExchange.Redis adds: one span per command, made after the fact.</summary>
    private const string RedisScope = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    /// <summary>It turns commands into spans every 10 s (its FlushInterval): wait that long for the last ones.</summary>
    internal static readonly TimeSpan RedisFlush = TimeSpan.FromSeconds(11);

    [Fact]
    public async Task An_idle_cluster_exports_no_lone_Redis_command_and_a_bounded_number_of_spans()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await TracedCluster.StartAsync(redis.ConnectionString, receiver, replicas: 3, host: "idle-1");
        using var http = new HttpClient();
        await cluster.WaitUntilLiveAsync(http, "idle-1");
        await Task.Delay(RedisFlush); // what start-up traced is exported
        receiver.Clear();

        var idle = TimeSpan.FromSeconds(30);
        await Task.Delay(idle);
        var spans = receiver.Spans();
        var loneCommands = spans.Where(s => s.IsRoot && s.Scope == RedisScope).ToList();
        var traces = spans.GroupBy(s => s.TraceId).ToList();
        output.WriteLine($"{idle.TotalSeconds:0} s idle, 3 replicas and a collector sampling every second: {spans.Count} spans in {traces.Count} traces; " +
            $"roots: {string.Join(", ", spans.Where(s => s.IsRoot).GroupBy(s => $"{s.Service} {s.Name}").Select(g => $"{g.Count()} {g.Key}"))}");

        Assert.Empty(loneCommands.Select(s => $"{s.Service}: {s.Name}"));
        // 10 routine units a second (3 heartbeats, 3 relay batches, 3 hosts-index writes, a sample) are
        // traced 1 in 100: about 3 traces of a few spans in 30 s. 150 leaves room for chance, never for one per command.
        Assert.InRange(spans.Count, 0, 150);
    }

    [Fact]
    public async Task Each_unit_of_work_is_one_span_with_its_Redis_commands_as_children_and_a_stream_session_start_is_a_trace_of_its_own()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        // Every routine unit traced, so each kind is seen at once.
        await using var cluster = await TracedCluster.StartAsync(redis.ConnectionString, receiver, replicas: 1, host: "work-1", routineSampling: "1");
        using var http = new HttpClient();
        await cluster.WaitUntilLiveAsync(http, "work-1");
        var web = cluster.Web[0];

        await http.GetStringAsync(web.Url("/hosts/work-1"));
        var html = await http.GetStringAsync(web.Url("/"));
        await using (var socket = await TurboSocketClient.ConnectAsync(new Uri(web.Url("/turbo-stream")), SignedStreamNames.FirstIn(html)))
            await socket.NextAsync(TimeSpan.FromSeconds(10));

        string[] units = ["collector sample", "replica heartbeat", "hosts index write", "subscription probe", "GET /hosts/{Name}"];
        List<OtlpSpan> spans = [];
        try
        {
            await Wait.UntilAsync(() =>
            {
                spans = receiver.Spans();
                return units.All(unit => WithRedisChildren(spans, unit).Any()) && spans.Any(s => s.Name == "turbo-stream session start");
            }, TimeSpan.FromSeconds(45), "a span of each unit of work with its Redis commands under it, and the session start's");
        }
        finally
        {
            var byId = spans.ToDictionary(s => (s.TraceId, s.SpanId), s => s.Name);
            output.WriteLine(string.Join("\n", spans.GroupBy(s => $"{s.Service} {s.Scope} '{s.Name}' under '{(s.IsRoot ? "(root)" : byId.GetValueOrDefault((s.TraceId, s.ParentSpanId), "?"))}'")
                .Select(g => $"{g.Count(),4} {g.Key}").Order()));
        }

        foreach (var unit in units)
            output.WriteLine($"{unit}: {string.Join(" ", WithRedisChildren(spans, unit).First().Select(c => c.Name))}");
        Assert.Contains(spans, s => s.Name == "relay batch" && s.IsRoot && s.Attribute("loadcluster.samples") != "");
        // The session's start is a root: the socket's request, open as long as the socket, is not traced as one span.
        var session = Assert.Single(spans, s => s.Name == "turbo-stream session start");
        Assert.True(session.IsRoot);
        Assert.Equal("web_sockets", session.Attribute("loadcluster.turbo.transport"));
        Assert.DoesNotContain(spans, s => s.Name.Contains("/turbo-stream", StringComparison.Ordinal));
        // A page view is one trace: Blazor's route span, a trace of its own, is left out.
        Assert.DoesNotContain(spans, s => s.Scope == "Microsoft.AspNetCore.Components");
        Assert.Empty(spans.Where(s => s.IsRoot && s.Scope == RedisScope).Select(s => $"{s.Service}: {s.Name}"));
    }

    [Fact]
    public async Task The_app_meters_are_exported_with_their_names_units_and_attributes()
    {
        var port = FreePort.Next();
        await using var redis = await TestRedis.StartAsync(port);
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var cluster = await TracedCluster.StartAsync(redis.ConnectionString, receiver, replicas: 1, host: "meter-1");
        using var http = new HttpClient();
        await cluster.WaitUntilLiveAsync(http, "meter-1");
        var web = cluster.Web[0];

        // A page on each transport, a message that is no sample, and a Redis restart.
        var html = await http.GetStringAsync(web.Url("/"));
        await using var socket = await TurboSocketClient.ConnectAsync(new Uri(web.Url("/turbo-stream")), SignedStreamNames.FirstIn(html));
        await using var events = await EventStreamClient.OpenAsync(http, web.Url("/turbo-stream?stream=" + Uri.EscapeDataString(SignedStreamNames.FirstIn(html)!)));
        using (var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("loadcluster:samples:meter-1"), "not a sample");
        await redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await redis.StartAsync();

        (string Name, string Unit, string Attribute)[] expected =
        [
            ("loadcluster.collector.published_samples", "{sample}", ""),
            ("loadcluster.web.relay.samples", "{sample}", ""),
            ("loadcluster.web.relay.dropped_samples", "{sample}", "error.type=malformed"),
            ("loadcluster.web.relay.lag", "s", ""),
            ("loadcluster.web.host.count", "{host}", "loadcluster.host.state=live"),
            ("loadcluster.web.push.messages", "{message}", "loadcluster.stream.kind="),
            ("loadcluster.web.push.io", "By", "loadcluster.stream.kind="),
            ("loadcluster.turbo.active_connections", "{connection}", "loadcluster.turbo.transport=web_sockets"),
            ("loadcluster.turbo.active_connections", "{connection}", "loadcluster.turbo.transport=server_sent_events"),
            ("loadcluster.redis.reconnections", "{reconnection}", ""),
        ];
        List<OtlpMetric> metrics = [];
        bool Seen((string Name, string Unit, string Attribute) e) =>
            metrics.Any(m => m.Name == e.Name && m.Unit == e.Unit && m.PointAttributes.Any(a => a.Contains(e.Attribute, StringComparison.Ordinal)));
        try
        {
            await Wait.UntilAsync(() => { metrics = receiver.Metrics(); return expected.All(Seen); }, TimeSpan.FromSeconds(60), "every metric of the app's meters");
        }
        finally
        {
            output.WriteLine(string.Join("\n", metrics.Where(m => m.Name.StartsWith("loadcluster.", StringComparison.Ordinal))
                .Select(m => $"{m.Service} {m.Scope} {m.Name} {m.Unit} [{string.Join("; ", m.PointAttributes.Distinct())}]").Distinct().Order()));
            output.WriteLine("not seen: " + string.Join(", ", expected.Where(e => !Seen(e))));
        }
    }

    /// <summary>Spans named <paramref name="unit"/> that are roots and have Redis commands as children, each with those children.</summary>
    private static IEnumerable<List<OtlpSpan>> WithRedisChildren(List<OtlpSpan> spans, string unit) =>
        spans.Where(s => s.Name == unit && s.IsRoot)
            .Select(s => spans.Where(c => c.ParentSpanId == s.SpanId && c.TraceId == s.TraceId && c.Scope == RedisScope).ToList())
            .Where(children => children.Count > 0);
}
