using System.Diagnostics.Metrics;
using LoadCluster.Turbo;

namespace LoadCluster.Web;

/// <summary>
/// The meter "LoadCluster.Web" (ServiceDefaults exports every "LoadCluster*" meter), plus the running
/// totals the replica heartbeat turns into per-second rates for the Cluster page.
/// </summary>
internal sealed class WebMetrics
{
    public const string MeterName = "LoadCluster.Web";

    private readonly Counter<long> _relayed;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _impostors;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _pushedBytes;
    private readonly Histogram<double> _lag;
    private long _samplesTotal;
    private long _pushesTotal;
    private long _droppedTotal;

    public WebMetrics(IMeterFactory meters, ITurboPush push)
    {
        var meter = meters.Create(MeterName);
        _relayed = meter.CreateCounter<long>("loadcluster.web.samples.relayed", "{sample}", "Samples received from Redis and applied to the board");
        _malformed = meter.CreateCounter<long>("loadcluster.web.samples.malformed", "{sample}", "Messages on the samples channel that failed validation and were dropped");
        _impostors = meter.CreateCounter<long>("loadcluster.web.samples.impostor", "{sample}", "Samples whose host is not their channel's (a host reporting for another), dropped");
        _dropped = meter.CreateCounter<long>("loadcluster.web.samples.dropped", "{sample}", "Samples dropped because the relay fell behind");
        _pushes = meter.CreateCounter<long>("loadcluster.web.pushes", "{message}", "Turbo Stream messages written to this replica's clients");
        _pushedBytes = meter.CreateCounter<long>("loadcluster.web.pushes.bytes", "By", "Bytes of Turbo Stream markup written to this replica's clients");
        _lag = meter.CreateHistogram<double>("loadcluster.web.relay.lag", "ms", "From sample time (collector clock) to the sample applied to this replica's board");
        meter.CreateObservableGauge("loadcluster.web.connections", () => push.LocalConnectionCount, "{connection}", "Browser connections (WebSocket and Server-Sent Events) on this replica");
    }

    public long SamplesTotal => Interlocked.Read(ref _samplesTotal);

    public long PushesTotal => Interlocked.Read(ref _pushesTotal);

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public void Relayed()
    {
        Interlocked.Increment(ref _samplesTotal);
        _relayed.Add(1);
    }

    public void Malformed() => _malformed.Add(1);

    public void Impostor() => _impostors.Add(1);

    public void Dropped()
    {
        Interlocked.Increment(ref _droppedTotal);
        _dropped.Add(1);
    }

    /// <summary>One message of <paramref name="bytes"/> characters of a stream of <paramref name="kind"/> given to <paramref name="clients"/> clients.</summary>
    public void Pushed(string kind, int clients, int bytes)
    {
        Interlocked.Add(ref _pushesTotal, clients);
        var tag = new KeyValuePair<string, object?>("loadcluster.stream.kind", kind);
        _pushes.Add(clients, tag);
        _pushedBytes.Add((long)clients * bytes, tag);
    }

    public void Lag(TimeSpan lag) => _lag.Record(lag.TotalMilliseconds);
}
