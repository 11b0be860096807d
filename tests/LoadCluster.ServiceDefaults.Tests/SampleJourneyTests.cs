using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LoadCluster.Samples;
using LoadCluster.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// A sample's journey: a collector and two web replicas as processes on one Redis, each replica with a
/// page socket open, exporting over OTLP. A sample asked for on demand (SIGUSR1 to the collector)
/// carries its trace; the others carry none; its trace holds the collector's spans and each replica's.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class SampleJourneyTests(ITestOutputHelper output)
{
    private const string Host = "journey-1";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_sample_asked_for_carries_its_trace_through_the_collector_and_every_replicas_relay_and_push_and_no_other_sample_carries_one()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        // No routine work traced and none by count: every trace here is one asked for.
        await using var cluster = await TracedCluster.StartAsync(redis.ConnectionString, receiver, replicas: 2, host: Host, routineSampling: "0",
            collector: new Dictionary<string, string> { ["Collector__TraceEvery"] = "0" });
        using var http = new HttpClient();
        await cluster.WaitUntilLiveAsync(http, Host);
        var sockets = new List<TurboSocketClient>();
        using var subscriber = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var samples = new ConcurrentQueue<byte[]>();
        await subscriber.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"loadcluster:samples:{Host}"), (_, message) => samples.Enqueue((byte[])message!));
        try
        {
            // The overview on each replica, so each has a push to make for the sample.
            foreach (var web in cluster.Web)
            {
                var socket = await TurboSocketClient.ConnectAsync(new Uri(web.Url("/turbo-stream")), SignedStreamNames.FirstIn(await http.GetStringAsync(web.Url("/"))));
                sockets.Add(socket);
                await socket.NextAsync(TimeSpan.FromSeconds(10));
            }
            await Wait.UntilAsync(() => samples.Count >= 3, Patience, "3 samples on the host's channel");

            await SignalAsync(cluster.Collector.ProcessId, "USR1");
            Sample? traced = null;
            await Wait.UntilAsync(() => (traced = Parsed(samples).FirstOrDefault(s => s.Traceparent is not null)) is not null, Patience, "a sample with a traceparent");
            var count = samples.Count;
            await Wait.UntilAsync(() => samples.Count >= count + 2, Patience, "2 samples after the traced one");

            // Only the one asked for carries a trace, and its traceparent is the collector's span, sampled.
            Assert.Single(Parsed(samples), s => s.Traceparent is not null);
            Assert.True(ActivityContext.TryParse(traced!.Traceparent, null, out var context));
            Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
            var traceId = context.TraceId.ToHexString();
            var collectorSpan = context.SpanId.ToHexString();

            List<OtlpSpan> trace = [];
            bool Complete()
            {
                trace = [.. receiver.Spans().Where(s => s.TraceId == traceId)];
                return Replicas(cluster).All(replica => Pushes(trace, Relays(trace, collectorSpan, replica).FirstOrDefault()).Any());
            }
            try
            {
                await Wait.UntilAsync(Complete, Patience, "the traced sample's spans from the collector and from each replica's relay and push");
                await Task.Delay(ClusterTelemetryTests.RedisFlush); // the collector's Redis commands too
                Complete();
            }
            finally
            {
                Describe(trace, traced!);
            }

            var root = Assert.Single(trace, s => s.SpanId == collectorSpan);
            Assert.Equal(("LoadCluster.Collector", "collector sample", true), (root.Service, root.Name, root.IsRoot));
            Assert.Contains(trace, s => s.Name == "read /proc" && s.ParentSpanId == collectorSpan);
            foreach (var replica in Replicas(cluster))
            {
                var relay = Assert.Single(Relays(trace, collectorSpan, replica));
                Assert.Equal(Host, relay.Attribute("loadcluster.host"));
                Assert.All(Pushes(trace, relay), push => Assert.Equal(replica, push.Instance));
                Assert.Contains(Pushes(trace, relay), push => push.Name == "push view" && push.Attribute("loadcluster.push.clients") == "1");
            }
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }

    private static IEnumerable<string> Replicas(TracedCluster cluster) => cluster.Web.Select((_, i) => TracedCluster.Replica(i));

    /// <summary>"relay sample" spans of one replica that are children of the collector's span.</summary>
    private static IEnumerable<OtlpSpan> Relays(List<OtlpSpan> trace, string collectorSpan, string replica) =>
        trace.Where(s => s.Name == "relay sample" && s.ParentSpanId == collectorSpan && s.Instance == replica);

    private static IEnumerable<OtlpSpan> Pushes(List<OtlpSpan> trace, OtlpSpan? relay) =>
        relay is null ? [] : trace.Where(s => s.ParentSpanId == relay.SpanId && s.Name.StartsWith("push ", StringComparison.Ordinal));

    private static IEnumerable<Sample> Parsed(IEnumerable<byte[]> messages) =>
        messages.Select(m => SampleJson.TryParse(m, out var sample, out _) ? sample : null).OfType<Sample>();

    /// <summary>The trace as a tree with each span's time, and what the field costs on the wire.</summary>
    private void Describe(List<OtlpSpan> trace, Sample traced)
    {
        var first = trace.Count == 0 ? 0 : trace.Min(s => s.Start);
        void Print(OtlpSpan span, int depth)
        {
            output.WriteLine($"{new string(' ', depth * 2)}{span.Service} {span.Instance} '{span.Name}' at +{Ms(span.Start - first)} ms, {Ms(span.End - span.Start)} ms");
            foreach (var child in trace.Where(c => c.ParentSpanId == span.SpanId).OrderBy(c => c.Start)) Print(child, depth + 1);
        }
        foreach (var root in trace.Where(s => !trace.Any(p => p.SpanId == s.ParentSpanId)).OrderBy(s => s.Start)) Print(root, 0);
        var with = SampleJson.Serialize(traced).Length;
        var without = SampleJson.Serialize(traced with { Traceparent = null }).Length;
        output.WriteLine($"{trace.Count} spans in the trace (2 replicas, a page socket each); the sample is {with} bytes with its traceparent, {without} without (+{with - without})");
    }

    private static string Ms(ulong nanoseconds) => (nanoseconds / 1e6).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Sends a signal to a process this test started, as an operator would.</summary>
    private static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
