using LoadCluster.Samples;
using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Streams;

namespace LoadCluster.Web.Relay;

/// <summary>
/// One host page's stream on this replica: the detail (tiles, bars, the recent chart) and the
/// summary, coalesced like every stream; the 1 h and 24 h charts too, but only when the host's
/// samples entered a new 15 s bucket (its collector has then written the closed one to Redis).
/// </summary>
internal sealed class DetailStream(string host, PushContext context, LongHistoryReader history)
    : CoalescedStream(StreamNames.Host(host), context.Time, context.MinInterval, context.BytesPerSecond, context.Logger)
{
    private long _bucket = -1;

    /// <summary>The page's current state for a new subscriber (null while the host is unknown here).</summary>
    public Task<string?> StateAsync() => ExclusiveAsync(async () =>
        context.Board.Get(host) is { } snapshot ? TurboStream.Combine(await RenderAsync(snapshot, withHistory: true)) : null);

    protected override async Task<PushResult> PushAsync(int budget, CancellationToken ct)
    {
        if (context.Board.Get(host) is not { } snapshot) return PushResult.Nothing;
        var bucket = RollupLevel.Hour.BucketOf(snapshot.Latest.Ts);
        var message = TurboStream.Combine(await RenderAsync(snapshot, withHistory: bucket != _bucket));
        _bucket = bucket;
        await context.SendAsync(Name, message, ct);
        return new PushResult(message.Length, false);
    }

    private async Task<List<TurboStreamAction>> RenderAsync(HostSnapshot snapshot, bool withHistory)
    {
        var actions = new List<TurboStreamAction> { await context.Fragments.DetailAsync(snapshot) };
        if (withHistory) actions.Add(await context.Fragments.LongHistoryAsync(host, snapshot.Latest.Cores, await history.ReadAsync(host)));
        actions.Add(await context.Fragments.SummaryAsync(context.Board.Totals()));
        return actions;
    }

    protected override void OnFailed() => _bucket = -1;
}
