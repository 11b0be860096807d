using System.Diagnostics.Metrics;
using LoadCluster.Web.Board;

namespace LoadCluster.Web;

/// <summary>
/// The meter "LoadCluster.Web" (ServiceDefaults exports every "LoadCluster*" meter), named after
/// OpenTelemetry's conventions (a namespace, no unit in the name, durations in seconds, the reason
/// of a failure as <c>error.type</c>), plus the running totals the replica heartbeat turns into
/// per-second rates for the Cluster page. Open connections by transport and slow clients dropped
/// are the Turbo library's meter ("LoadCluster.Turbo"); Redis reconnects are ServiceDefaults' ("LoadCluster.Redis").
/// </summary>
internal sealed class WebMetrics
{
    public const string MeterName = "LoadCluster.Web";

    /// <summary>Values of <c>error.type</c> on <c>loadcluster.web.relay.dropped_samples</c>.</summary>
    public const string Malformed = "malformed", Impostor = "impostor", Overflow = "overflow";

    private const string StreamKindTag = "loadcluster.stream.kind";

    private readonly Counter<long> _relayed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _pushedBytes;
    private readonly Histogram<double> _lag;
    private long _samplesTotal;
    private long _pushesTotal;
    private long _droppedTotal;

    public WebMetrics(IMeterFactory meters, HostBoard board)
    {
        var meter = meters.Create(MeterName);
        _relayed = meter.CreateCounter<long>("loadcluster.web.relay.samples", "{sample}", "Samples received from Redis and applied to this replica's board");
        _dropped = meter.CreateCounter<long>("loadcluster.web.relay.dropped_samples", "{sample}",
            "Samples dropped by this replica's relay, by error.type: malformed (failed validation), impostor (its host is not its channel's), overflow (the relay fell behind)");
        _lag = meter.CreateHistogram("loadcluster.web.relay.lag", "s", "From sample time (collector clock) to the sample applied to this replica's board",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _pushes = meter.CreateCounter<long>("loadcluster.web.push.messages", "{message}", "Turbo Stream messages written to this replica's clients, by loadcluster.stream.kind");
        // Named as system.network.io is: the bytes moved, the unit saying so.
        _pushedBytes = meter.CreateCounter<long>("loadcluster.web.push.io", "By", "Bytes of Turbo Stream markup written to this replica's clients, by loadcluster.stream.kind");
        meter.CreateObservableUpDownCounter("loadcluster.web.host.count", () =>
        {
            var totals = board.Totals();
            return new Measurement<int>[] { new(totals.Live, State(HostState.Live)), new(totals.Stale, State(HostState.Stale)), new(totals.Offline, State(HostState.Offline)) };
        }, "{host}", "Hosts on this replica's board, by loadcluster.host.state (live, stale, offline)");
    }

    public long SamplesTotal => Interlocked.Read(ref _samplesTotal);

    public long PushesTotal => Interlocked.Read(ref _pushesTotal);

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public void Relayed()
    {
        Interlocked.Increment(ref _samplesTotal);
        _relayed.Add(1);
    }

    /// <summary>A sample the relay did not apply, for <paramref name="reason"/> (<see cref="Malformed"/>, <see cref="Impostor"/>, <see cref="Overflow"/>).</summary>
    public void Dropped(string reason)
    {
        if (reason == Overflow) Interlocked.Increment(ref _droppedTotal);
        _dropped.Add(1, new KeyValuePair<string, object?>("error.type", reason));
    }

    /// <summary>One message of <paramref name="bytes"/> characters of a stream of <paramref name="kind"/> given to <paramref name="clients"/> clients.</summary>
    public void Pushed(string kind, int clients, int bytes)
    {
        Interlocked.Add(ref _pushesTotal, clients);
        var tag = new KeyValuePair<string, object?>(StreamKindTag, kind);
        _pushes.Add(clients, tag);
        _pushedBytes.Add((long)clients * bytes, tag);
    }

    public void Lag(TimeSpan lag) => _lag.Record(lag.TotalSeconds);

    private static KeyValuePair<string, object?>[] State(HostState state) => [new("loadcluster.host.state", HostStates.Name(state))];
}
