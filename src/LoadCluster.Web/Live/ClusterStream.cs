using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Overview;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Live;

/// <summary>The Cluster page's live stream on this replica: the replicas and collectors as last read from the registry, and the summary.</summary>
internal sealed class ClusterStream
{
    private readonly ClusterRegistry _registry;
    private readonly HostBoard _board;
    private readonly LiveFragments _fragments;
    private readonly string _self;
    private readonly PushGate _gate;

    public ClusterStream(ClusterRegistry registry, HostBoard board, LiveFragments fragments, IOptions<LoadBoardOptions> options, PushGates gates)
    {
        _registry = registry;
        _board = board;
        _fragments = fragments;
        _self = options.Value.ReplicaId;
        _gate = gates.Open(StreamNames.Cluster, "cluster", async _ => new PushResult(await RenderAsync(), false));
    }

    public void Request() => _gate.Request();

    public Task<string> StateAsync() => _gate.ExclusiveAsync(RenderAsync);

    private Task<string> RenderAsync() => _fragments.ClusterAsync(_registry.Latest, _self, _board.Totals());
}
