using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Relay;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Streams;

/// <summary>
/// The current state of each board stream, sent to a client first when it subscribes (and after a
/// reconnect), so a page never misses samples between its render and its subscription. Overview
/// and host streams make theirs through their coalesced stream, in step with its pushes.
/// </summary>
internal sealed class LoadBoardStreamState(HostBoard board, PushScheduler pushes, LoadBoardFragments fragments, ClusterRegistry registry, IOptions<LoadBoardOptions> options)
    : ITurboStreamState
{
    public async ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct)
    {
        if (OverviewQuery.FromStreamName(streamName) is { } query) return await pushes.ViewStateAsync(query);
        if (streamName == StreamNames.Cluster)
            return await fragments.ClusterAsync(registry.Latest, options.Value.ReplicaId, board.Totals());
        if (StreamNames.HostOf(streamName) is { } name) return await pushes.DetailStateAsync(name);
        return null;
    }
}
