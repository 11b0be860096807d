using System.Collections.Concurrent;
using LoadCluster.Web.Board;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Streams;

namespace LoadCluster.Web.Relay;

/// <summary>
/// This replica's coalesced streams: one per overview view and one per host page that local
/// clients listen to. Whoever changes the board (relay, state watcher, loader) calls
/// <see cref="HostsChanged"/>, which costs a flag per stream; the streams push on their own
/// schedule (see <see cref="CoalescedStream"/>). Streams are made when a client subscribes or a
/// watched host changes, and dropped when no local client listens any more.
/// </summary>
internal sealed class PushScheduler
{
    private readonly PushContext _context;
    private readonly LongHistoryReader _history;
    private readonly ConcurrentDictionary<string, ViewStream> _views = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DetailStream> _details = new(StringComparer.Ordinal);

    public PushScheduler(PushContext context, LongHistoryReader history)
    {
        _context = context;
        _history = history;
    }

    /// <summary>View streams live on this replica: it must fall back when clients leave.</summary>
    public int ViewCount => _views.Count;

    /// <summary>Tells every view, and the pages of these hosts, that something changed.</summary>
    public void HostsChanged(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        // Enumerating the dictionary itself is lock-free; .Values would lock and copy.
        foreach (var (_, view) in _views) view.Request();
        foreach (var host in hosts)
        {
            var stream = StreamNames.Host(host);
            if (_details.TryGetValue(stream, out var detail))
            {
                if (_context.Push.LocalSubscriberCount(stream) > 0) detail.Request();
                else _details.TryRemove(stream, out _);
            }
            else if (_context.Push.LocalSubscriberCount(stream) > 0)
            {
                _details.GetOrAdd(stream, _ => new DetailStream(host, _context, _history)).Request();
            }
        }
    }

    /// <summary>A new subscriber's state of an overview view, rendered in step with that view's pushes.</summary>
    public Task<string> ViewStateAsync(OverviewQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return View(query).StateAsync();
    }

    /// <summary>
    /// A new subscriber's state of a host page; null while the host is unknown here (its first
    /// sample then makes the stream, so names nobody reports for leave nothing behind).
    /// </summary>
    public Task<string?> DetailStateAsync(string host)
    {
        if (_context.Board.Get(host, history: 0) is null) return Task.FromResult<string?>(null);
        return _details.GetOrAdd(StreamNames.Host(host), _ => new DetailStream(host, _context, _history)).StateAsync();
    }

    private ViewStream View(OverviewQuery query) => _views.GetOrAdd(query.StreamName, _ => new ViewStream(query, _context, Forget));

    private void Forget(ViewStream view)
    {
        if (!_views.TryRemove(new KeyValuePair<string, ViewStream>(view.Name, view))) return;
        // A client may have subscribed between the count and the removal: keep serving it.
        if (_context.Push.LocalSubscriberCount(view.Name) > 0) View(view.Query).Request();
    }
}
