using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components.Fragments;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Streams;

/// <summary>
/// The current state of each board stream, sent to a client first when it subscribes (and after a
/// reconnect), so a page never misses samples between its render and its subscription.
/// </summary>
internal sealed class LoadBoardStreamState(HostBoard board, LoadBoardFragments fragments, ClusterRegistry registry, IOptions<LoadBoardOptions> options)
    : ITurboStreamState
{
    public async ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct)
    {
        if (streamName == StreamNames.Hosts)
        {
            var hosts = board.All(HostRow.SparklinePoints);
            return TurboStream.Combine(await fragments.RowsAsync(hosts), await fragments.SummaryAsync(ClusterTotals.Of(hosts)));
        }
        if (streamName == StreamNames.Cluster)
            return await fragments.ClusterAsync(registry.Latest, options.Value.ReplicaId, board.Totals());
        if (StreamNames.HostOf(streamName) is { } name && board.Get(name) is { } host)
            return TurboStream.Combine(await fragments.DetailAsync(host), await fragments.SummaryAsync(board.Totals()));
        return null;
    }
}
