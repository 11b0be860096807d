using LoadCluster.Samples;
using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Live;

/// <summary>
/// One host page's live stream on this replica: the detail (tiles, bars, the recent chart) and the
/// summary; the 1 h and 24 h charts too, but only when the host's samples entered a new 15 s
/// bucket (its collector has then written the closed one to Redis).
/// </summary>
internal sealed class HostStream
{
    private readonly string _host;
    private readonly HostBoard _board;
    private readonly LiveFragments _fragments;
    private readonly LongHistoryReader _history;
    private readonly PushGate _gate;
    private long _bucket = -1;

    public HostStream(string host, HostBoard board, LiveFragments fragments, LongHistoryReader history, PushGates gates, Action<HostStream> forget)
    {
        _host = host;
        _board = board;
        _fragments = fragments;
        _history = history;
        _gate = gates.Open(StreamNames.Host(host), "host", PushAsync, failed: () => _bucket = -1, idle: () => forget(this));
    }

    public string Name => _gate.Stream;

    public void Request() => _gate.Request();

    /// <summary>The page's current state for a new client (null while the host is unknown here).</summary>
    public Task<string?> StateAsync() => _gate.ExclusiveAsync(async () =>
        _board.Get(_host) is { } snapshot ? TurboStream.Combine(await RenderAsync(snapshot, withHistory: true)) : null);

    private async Task<PushResult> PushAsync(int budget)
    {
        if (_board.Get(_host) is not { } snapshot) return PushResult.Nothing;
        var bucket = RollupLevel.Hour.BucketOf(snapshot.Latest.Ts);
        var markup = TurboStream.Combine(await RenderAsync(snapshot, withHistory: bucket != _bucket));
        _bucket = bucket;
        return new PushResult(markup, false);
    }

    private async Task<List<TurboStreamAction>> RenderAsync(HostSnapshot snapshot, bool withHistory)
    {
        var actions = new List<TurboStreamAction> { await _fragments.DetailAsync(snapshot) };
        if (withHistory) actions.Add(await _fragments.LongHistoryAsync(_host, snapshot.Latest.Cores, await _history.ReadAsync(_host)));
        actions.Add(await _fragments.SummaryAsync(_board.Totals()));
        return actions;
    }
}
