using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LoadCluster.Turbo;

/// <summary>
/// The stream endpoint's telemetry, under the name "LoadCluster.Turbo" (an app exports it with
/// <c>AddMeter</c> and <c>AddSource</c> of that name): open connections by transport, connections
/// dropped as slow clients, and one span for each connection's start (verify, join, state).
/// </summary>
internal sealed class TurboTelemetry
{
    public const string Name = "LoadCluster.Turbo";

    public const string TransportTag = "loadcluster.turbo.transport";

    /// <summary>Values of the transport attribute (as SignalR's <c>signalr.transport</c> spells its own).</summary>
    public const string WebSocket = "web_sockets", ServerSentEvents = "server_sent_events";

    private static readonly ActivitySource Source = new(Name);

    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _dropped;

    public TurboTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _open = meter.CreateUpDownCounter<long>("loadcluster.turbo.active_connections", "{connection}", "Browser connections open on the stream endpoint of this node");
        _dropped = meter.CreateCounter<long>("loadcluster.turbo.dropped_connections", "{connection}", "Connections dropped as slow clients (their pages reconnect and get the state again)");
    }

    /// <summary>
    /// The span of a connection's start, a trace of its own: the request lasts as long as the
    /// connection, so the span is not its child, only linked to it (when that is traced).
    /// </summary>
    public static Activity? StartSession(string? stream)
    {
        var request = Activity.Current;
        Activity.Current = null;
        var links = request is { Recorded: true } ? new[] { new ActivityLink(request.Context) } : null;
        var span = Source.StartActivity("turbo-stream session start", ActivityKind.Server, default(ActivityContext), links: links);
        if (stream is not null) span?.SetTag("loadcluster.turbo.stream", stream);
        return span;
    }

    public void Opened(string transport) => _open.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));

    public void Closed(string transport, bool dropped)
    {
        var tag = new KeyValuePair<string, object?>(TransportTag, transport);
        _open.Add(-1, tag);
        if (dropped) _dropped.Add(1, tag);
    }
}
