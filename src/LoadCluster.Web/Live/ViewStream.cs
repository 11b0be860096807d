using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Components.Fragments;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Streams;

namespace LoadCluster.Web.Relay;

/// <summary>
/// One overview view's stream on this replica. It remembers which rows it sent and at which host
/// version, so a push carries only rows that entered the view or changed (upserted, see
/// <see cref="LoadBoardFragments.UpsertRows"/>), removals for rows that left, and the counts and
/// the summary once, when they changed. Rows beyond the push's byte budget wait for the next push, the longest-waiting
/// first. The whole body is sent instead when the host list changed (every row's order moves),
/// when the view turns empty or not, and after a failed push. <paramref name="forget"/> takes it
/// out of the scheduler once nobody here listens to it any more.
/// </summary>
internal sealed class ViewStream(OverviewQuery query, PushContext context, Action<ViewStream> forget) : CoalescedStream(query.StreamName, context.Time, context.MinInterval, context.BytesPerSecond, context.Logger)
{
    // Guarded by the exclusive gate (pushes and states run one at a time).
    private Dictionary<string, Sent>? _sent;
    private long _listVersion;
    private bool _wasEmpty;
    private long _pushes;
    // The counts and summary as last sent to every client; a push leaves out what did not change.
    private string? _counts;
    private (int Shown, int Matching, int Live, int Stale, int Offline) _countsOf;
    private string? _summary;

    public OverviewQuery Query => query;

    /// <summary>The view's current state for a new subscriber; rows it has that others may lack are marked to be sent.</summary>
    public Task<string> StateAsync() => ExclusiveAsync(async () =>
    {
        var view = context.View(query);
        var rows = await RenderFullAsync(view);
        if (_sent is not null && _listVersion == view.ListVersion)
        {
            // The new subscriber holds these rows, the others may not: the next push upserts or removes them.
            foreach (var row in view.Rows) _sent.TryAdd(row.Key.Name, Sent.Unknown);
        }
        // The new subscriber's counts and summary may be newer than the others': send both next time.
        _counts = _summary = null;
        Request();
        return TurboStream.Combine(rows, await context.Fragments.ViewHeaderAsync(view), await context.Fragments.SummaryAsync(context.Board.Totals()));
    });

    protected override async Task<PushResult> PushAsync(int budget, CancellationToken ct)
    {
        if (context.Push.LocalSubscriberCount(Name) == 0)
        {
            forget(this);
            _sent = null;
            return PushResult.Nothing;
        }
        var view = context.View(query);
        var actions = new List<TurboStreamAction>();
        var more = false;
        var empty = view.Rows.Count == 0;
        if (_sent is null || _listVersion != view.ListVersion || empty != _wasEmpty)
        {
            actions.Add(await RenderFullAsync(view));
            _sent = view.Rows.ToDictionary(r => r.Key.Name, r => new Sent(r.Key.Version, _pushes));
            _listVersion = view.ListVersion;
            _wasEmpty = empty;
        }
        else
        {
            more = await AddChangesAsync(view, _sent, actions, budget);
        }
        _pushes++;
        // The counts move far less often than rows: rendered only when the numbers they show did.
        var counts = (view.Rows.Count, view.Matching, view.Count(HostState.Live), view.Count(HostState.Stale), view.Count(HostState.Offline));
        if (_counts is null || counts != _countsOf)
        {
            _countsOf = counts;
            AddIfChanged(actions, await context.Fragments.ViewHeaderAsync(view), ref _counts);
        }
        AddIfChanged(actions, await context.Fragments.SummaryAsync(context.Board.Totals()), ref _summary);
        if (actions.Count == 0) return new PushResult(0, more);
        var message = TurboStream.Combine(actions);
        await context.SendAsync(Name, message, ct);
        return new PushResult(message.Length, more);
    }

    protected override void OnFailed()
    {
        _sent = null;
        _counts = _summary = null;
    }

    private static void AddIfChanged(List<TurboStreamAction> actions, TurboStreamAction action, ref string? last)
    {
        if (action.Markup == last) return;
        last = action.Markup;
        actions.Add(action);
    }

    private async Task<bool> AddChangesAsync(OverviewView view, Dictionary<string, Sent> sent, List<TurboStreamAction> actions, int budget)
    {
        var inView = new HashSet<string>(view.Rows.Select(r => r.Key.Name), StringComparer.Ordinal);
        foreach (var name in sent.Keys.Where(n => !inView.Contains(n)).ToList())
        {
            actions.Add(LoadBoardFragments.RemoveRow(name));
            sent.Remove(name);
        }
        // Rows new to the view first, then those whose last send is oldest: under the budget every row gets its turn.
        var due = view.Rows
            .Select(r => (Row: r, Last: sent.TryGetValue(r.Key.Name, out var s) ? s : Sent.Unknown))
            .Where(x => x.Last.Version != x.Row.Key.Version)
            .OrderBy(x => x.Last.Push)
            .ThenBy(x => x.Row.Order)
            .ToList();
        var used = actions.Sum(a => a.Markup.Length);
        var rows = new List<string>();
        foreach (var (row, _) in due)
        {
            if (rows.Count > 0 && used >= budget) break;
            if (context.Board.Get(row.Key.Name, HostRow.SparklinePoints) is not { } host) continue;
            var markup = await context.Fragments.RowAsync(host, row.Order);
            rows.Add(markup);
            used += markup.Length;
            sent[row.Key.Name] = new Sent(row.Key.Version, _pushes);
        }
        if (rows.Count > 0) actions.Add(LoadBoardFragments.UpsertRows(rows));
        return rows.Count < due.Count;
    }

    private Task<TurboStreamAction> RenderFullAsync(OverviewView view) => context.Fragments.RowsAsync(view, context.Shown(view));

    /// <summary>A row as last sent: the host version, and the number of the push that sent it.</summary>
    private readonly record struct Sent(long Version, long Push)
    {
        /// <summary>Not known to be on every client: due first.</summary>
        public static readonly Sent Unknown = new(-1, -1);
    }
}
