using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components.Fragments;

namespace LoadCluster.Web.Streams;

/// <summary>
/// Builds the board's stream messages from its components, rendered with the Turbo renderer (works
/// in background services). The same components render the pages, so a push looks exactly like a reload.
/// </summary>
internal sealed class LoadBoardFragments(ITurboRenderer renderer)
{
    public async Task<TurboStreamAction> SummaryAsync(ClusterTotals totals) =>
        TurboStream.Replace(ElementIds.Summary, await RenderAsync<ClusterSummary>("Totals", totals));

    public async Task<TurboStreamAction> RowAsync(HostSnapshot host) =>
        TurboStream.Replace(host.Id, await RenderAsync<HostRow>("Host", host));

    /// <summary>The whole table body: for a new host, and as the state sent to a new subscriber.</summary>
    public async Task<TurboStreamAction> RowsAsync(IReadOnlyList<HostSnapshot> hosts) =>
        TurboStream.Replace(ElementIds.HostRows, await RenderAsync<HostRows>("Hosts", hosts));

    public async Task<TurboStreamAction> DetailAsync(HostSnapshot host) =>
        TurboStream.Replace(ElementIds.HostDetail(host.Name), await RenderAsync<HostDetail>("Host", host));

    public async Task<string> ClusterAsync(ClusterSnapshot cluster, string self, ClusterTotals totals) => TurboStream.Combine(
        TurboStream.Replace(ElementIds.Replicas, await renderer.RenderComponentAsync<ReplicaTable>(new Dictionary<string, object?> { ["Cluster"] = cluster, ["Self"] = self })),
        TurboStream.Replace(ElementIds.Collectors, await RenderAsync<CollectorTable>("Cluster", cluster)),
        await SummaryAsync(totals));

    private Task<string> RenderAsync<TComponent>(string parameter, object value) where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        renderer.RenderComponentAsync<TComponent>(new Dictionary<string, object?> { [parameter] = value });
}
