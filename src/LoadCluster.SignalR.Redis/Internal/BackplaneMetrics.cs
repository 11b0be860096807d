using System.Diagnostics.Metrics;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// The backplane's instruments, under the meter name <see cref="MeterName"/> (subscribe to it by
/// name in OpenTelemetry). Counts are per process, summed over hubs.
/// </summary>
internal static class BackplaneMetrics
{
    public const string MeterName = "LoadCluster.SignalR.Redis";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Messages this server published (invocations, group commands, acks, probes).</summary>
    public static readonly Counter<long> Published = Meter.CreateCounter<long>("loadcluster.backplane.messages.published", "{message}");

    /// <summary>Messages this server received from Redis, its own echoes included.</summary>
    public static readonly Counter<long> Received = Meter.CreateCounter<long>("loadcluster.backplane.messages.received", "{message}");

    /// <summary>Messages written to connections held by this server, one per connection.</summary>
    public static readonly Counter<long> Written = Meter.CreateCounter<long>("loadcluster.backplane.messages.written", "{message}");

    /// <summary>Failures, tagged with <c>operation</c>: publish, subscribe, decode, write, ack, probe, connection, receive-overflow (a received message dropped because the receive queue was full).</summary>
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("loadcluster.backplane.failures", "{failure}");

    /// <summary>Times the Redis link came back after a failure, or was rebuilt after the probe went silent.</summary>
    public static readonly Counter<long> Reconnects = Meter.CreateCounter<long>("loadcluster.backplane.reconnects", "{reconnect}");

    public static void Failure(string operation) => Failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
