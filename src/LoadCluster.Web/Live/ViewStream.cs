using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Live;

/// <summary>
/// One overview view's live stream on this replica: each push renders what its <see cref="ViewDiff"/>
/// says the clients lack, within the gate's byte budget (rows beyond it wait for the next push); a
/// row that would show what the clients already hold is left out.
/// Rows are upserted (<see cref="LiveFragments.UpsertRows"/>). <paramref name="forget"/> takes it
/// out of <see cref="LiveStreams"/> once nobody here listens to it any more.
/// </summary>
internal sealed class ViewStream
{
    private readonly OverviewQuery _query;
    private readonly OverviewViews _views;
    private readonly LiveFragments _fragments;
    private readonly HostBoard _board;
    private readonly PushGate _gate;
    // Guarded by the gate (pushes and states run one at a time).
    private readonly ViewDiff _diff = new();

    public ViewStream(OverviewQuery query, OverviewViews views, LiveFragments fragments, HostBoard board, PushGates gates, Action<ViewStream> forget)
    {
        _query = query;
        _views = views;
        _fragments = fragments;
        _board = board;
        _gate = gates.Open(query.StreamName, "view", PushAsync, failed: _diff.Forget, idle: () =>
        {
            _diff.Forget();
            forget(this);
        });
    }

    public OverviewQuery Query => _query;

    public string Name => _gate.Stream;

    public void Request() => _gate.Request();

    /// <summary>The view as it is now, for a new client; what it holds and others may lack is marked due.</summary>
    public Task<string> StateAsync() => _gate.ExclusiveAsync(async () =>
    {
        var view = _views.View(_query);
        var state = TurboStream.Combine(
            await _fragments.RowsAsync(view, _views.Shown(view)),
            await _fragments.ViewHeaderAsync(view),
            await _fragments.SummaryAsync(_board.Totals()));
        _diff.Joined(view);
        _gate.Request();
        return state;
    });

    private async Task<PushResult> PushAsync(int budget)
    {
        var view = _views.View(_query);
        var plan = _diff.Plan(view);
        var actions = new List<TurboStreamAction>();
        var sent = new List<(OverviewRow, ulong)>();
        var unchanged = 0;
        if (plan.IsWhole)
        {
            actions.Add(await _fragments.RowsAsync(view, _views.Shown(view)));
        }
        else
        {
            actions.AddRange(plan.Removed.Select(LiveFragments.RemoveRow));
            var used = actions.Sum(a => a.Markup.Length);
            var rows = new List<string>();
            foreach (var row in plan.Due)
            {
                if (rows.Count > 0 && used >= budget) break;
                if (_board.Get(row.Key.Name, ShownRow.SparklinePoints) is not { } host) continue;
                var markup = await _fragments.RowAsync(host, row.Order);
                var shown = RowShown.Of(markup);
                // A sample that changed nothing the row shows (values as rounded on the page) is not sent.
                if (_diff.Holds(row, shown))
                {
                    unchanged++;
                    continue;
                }
                rows.Add(markup);
                used += markup.Length;
                sent.Add((row, shown));
            }
            if (rows.Count > 0) actions.Add(LiveFragments.UpsertRows(rows));
        }
        _diff.Sent(view, plan, sent);
        if (_diff.CountsChanged(view)) actions.Add(await _fragments.ViewHeaderAsync(view));
        var summary = await _fragments.SummaryAsync(_board.Totals());
        if (_diff.SummaryChanged(summary.Markup)) actions.Add(summary);
        var more = !plan.IsWhole && sent.Count + unchanged < plan.Due.Count;
        return new PushResult(actions.Count == 0 ? null : TurboStream.Combine(actions), more);
    }
}
