using System.Collections.Concurrent;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Overview;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Live;

/// <summary>
/// This replica's live streams: one per overview view and one per host page that local clients
/// listen to, and the Cluster page's. It listens to the board and the cluster registry: a change
/// costs a flag per stream, and the streams push through their gates on their own schedule (see
/// <see cref="PushGate"/>). Streams are made when a client subscribes or a watched host changes,
/// and dropped when no local client listens any more.
/// </summary>
internal sealed class LiveStreams
{
    private readonly HostBoard _board;
    private readonly OverviewViews _views;
    private readonly LiveFragments _fragments;
    private readonly LongHistoryReader _history;
    private readonly PushGates _gates;
    private readonly ClusterStream _cluster;
    private readonly ConcurrentDictionary<string, ViewStream> _viewStreams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostStream> _hosts = new(StringComparer.Ordinal);

    public LiveStreams(HostBoard board, ClusterRegistry registry, OverviewViews views, LiveFragments fragments, LongHistoryReader history,
        PushGates gates, IOptions<LoadBoardOptions> options)
    {
        _board = board;
        _views = views;
        _fragments = fragments;
        _history = history;
        _gates = gates;
        _cluster = new ClusterStream(registry, board, fragments, options, gates);
        board.Changed += HostsChanged;
        registry.Changed += _cluster.Request;
    }

    /// <summary>View streams live on this replica: it must fall back when clients leave.</summary>
    public int ViewCount => _viewStreams.Count;

    /// <summary>A new client's state of a stream, rendered in step with that stream's pushes; null for a stream the board does not have.</summary>
    public async Task<string?> StateAsync(string stream)
    {
        if (OverviewQuery.FromStreamName(stream) is { } query) return await View(query).StateAsync();
        if (stream == StreamNames.Cluster) return await _cluster.StateAsync();
        // A host unknown here has no stream yet: its first sample makes it, so names nobody reports for leave nothing behind.
        if (StreamNames.HostOf(stream) is { } host && _board.Get(host, history: 0) is not null) return await Host(host).StateAsync();
        return null;
    }

    private void HostsChanged(IReadOnlyCollection<string> hosts)
    {
        // Enumerating the dictionary itself is lock-free; .Values would lock and copy.
        foreach (var (_, view) in _viewStreams) view.Request();
        foreach (var host in hosts)
        {
            if (_hosts.TryGetValue(host, out var stream) || _gates.Subscribers(StreamNames.Host(host)) > 0) (stream ?? Host(host)).Request();
        }
    }

    private ViewStream View(OverviewQuery query) =>
        _viewStreams.GetOrAdd(query.StreamName, _ => new ViewStream(query, _views, _fragments, _board, _gates, Forget));

    private HostStream Host(string host) =>
        _hosts.GetOrAdd(host, _ => new HostStream(host, _board, _fragments, _history, _gates, Forget));

    private void Forget(ViewStream view)
    {
        if (!_viewStreams.TryRemove(new KeyValuePair<string, ViewStream>(view.Name, view))) return;
        // A client may have subscribed between the count and the removal: keep serving it.
        if (_gates.Subscribers(view.Name) > 0) View(view.Query).Request();
    }

    private void Forget(HostStream stream)
    {
        var host = StreamNames.HostOf(stream.Name)!;
        if (!_hosts.TryRemove(new KeyValuePair<string, HostStream>(host, stream))) return;
        if (_gates.Subscribers(stream.Name) > 0) Host(host).Request();
    }
}
