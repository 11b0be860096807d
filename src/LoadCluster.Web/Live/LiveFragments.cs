using LoadCluster.Samples;
using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components.Fragments;
using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Live;

/// <summary>
/// Builds the live streams' messages from the board's fragment components, rendered with the Turbo
/// renderer (works in background services). The same components render the pages, so a push looks
/// exactly like a reload.
/// </summary>
internal sealed class LiveFragments(ITurboRenderer renderer)
{
    private Rendered? _summary;

    /// <summary>
    /// The summary box. Every view and host stream asks for it on every push, and the totals are the
    /// same for all of them, so the last rendering is reused while the totals are equal.
    /// </summary>
    public async Task<TurboStreamAction> SummaryAsync(ClusterTotals totals)
    {
        if (Volatile.Read(ref _summary) is { } last && last.Totals == totals) return last.Action;
        var action = TurboStream.Replace(ElementIds.Summary, await RenderAsync<ClusterSummary>("Totals", totals));
        Volatile.Write(ref _summary, new Rendered(totals, action));
        return action;
    }

    private sealed record Rendered(ClusterTotals Totals, TurboStreamAction Action);

    /// <summary>One row's markup, for <see cref="UpsertRows"/>.</summary>
    public Task<string> RowAsync(HostSnapshot host, int order) =>
        renderer.RenderComponentAsync<HostRow>(new Dictionary<string, object?> { ["Host"] = host, ["Order"] = order });

    /// <summary>
    /// Rows that changed or came into view. Turbo's <c>append</c> first removes the children with
    /// the same ids, so each row lands once whether the client had it or not, and its CSS order
    /// puts it in place.
    /// </summary>
    public static TurboStreamAction UpsertRows(IEnumerable<string> rows) => TurboStream.Append(ElementIds.HostRows, string.Concat(rows));

    public static TurboStreamAction RemoveRow(string host) => TurboStream.Remove(ElementIds.Host(host));

    /// <summary>The whole table body of a view: as a subscriber's state, and when the host list changed.</summary>
    public async Task<TurboStreamAction> RowsAsync(OverviewView view, IReadOnlyList<ShownRow> rows) =>
        TurboStream.Replace(ElementIds.HostRows, await renderer.RenderComponentAsync<HostRows>(new Dictionary<string, object?> { ["View"] = view, ["Rows"] = rows }));

    /// <summary>The counts above the table (per state, shown of matching).</summary>
    public async Task<TurboStreamAction> ViewHeaderAsync(OverviewView view) =>
        TurboStream.Replace(ElementIds.HostView, await RenderAsync<OverviewCounts>("View", view));

    public async Task<TurboStreamAction> DetailAsync(HostSnapshot host) =>
        TurboStream.Replace(ElementIds.HostDetail(host.Name), await RenderAsync<HostDetail>("Host", host));

    /// <summary>The host page's 1 h and 24 h charts, from the downsampled history in Redis.</summary>
    public async Task<TurboStreamAction> LongHistoryAsync(string host, int cores, IReadOnlyDictionary<RollupLevel, IReadOnlyList<HistoryPoint>> history) =>
        TurboStream.Replace(ElementIds.HostHistory(host), await renderer.RenderComponentAsync<LongHistory>(
            new Dictionary<string, object?> { ["Name"] = host, ["Cores"] = cores, ["History"] = history }));

    public async Task<string> ClusterAsync(ClusterSnapshot cluster, string self, ClusterTotals totals) => TurboStream.Combine(
        TurboStream.Replace(ElementIds.Replicas, await renderer.RenderComponentAsync<ReplicaTable>(new Dictionary<string, object?> { ["Cluster"] = cluster, ["Self"] = self })),
        TurboStream.Replace(ElementIds.Collectors, await RenderAsync<CollectorTable>("Cluster", cluster)),
        await SummaryAsync(totals));

    private Task<string> RenderAsync<TComponent>(string parameter, object value) where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        renderer.RenderComponentAsync<TComponent>(new Dictionary<string, object?> { [parameter] = value });
}
