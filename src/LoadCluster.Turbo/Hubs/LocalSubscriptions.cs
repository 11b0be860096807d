using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.Turbo;

/// <summary>
/// This node's hub connections (WebSocket and event stream) and the streams each listens to, so
/// a push can be written to local subscribers without a backplane round trip.
/// Invariant: a stream key exists only while it has at least one subscriber, and a connection only
/// between OnConnected and OnDisconnected, so memory returns to baseline after churn. Changes take
/// one lock (subscribes are rare next to pushes); reads enumerate concurrent dictionaries lock-free.
/// </summary>
internal sealed class LocalSubscriptions
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubConnectionContext>> _streams = new(StringComparer.Ordinal);

    public int ConnectionCount => _connections.Count;

    public int StreamCount => _streams.Count;

    public void Connected(HubConnectionContext connection) =>
        _connections[connection.ConnectionId] = new Entry(connection);

    public void Disconnected(string connectionId)
    {
        lock (_gate)
        {
            if (!_connections.TryRemove(connectionId, out var entry)) return;
            foreach (var stream in entry.Streams) RemoveFromStream(stream, connectionId);
            entry.Streams.Clear();
        }
    }

    public bool TryGetConnection(string connectionId, out HubConnectionContext connection)
    {
        var found = _connections.TryGetValue(connectionId, out var entry);
        connection = found ? entry!.Connection : null!;
        return found;
    }

    public SubscribeResult Add(string connectionId, string stream, int limit)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var entry)) return SubscribeResult.UnknownConnection;
            if (entry.Streams.Contains(stream)) return SubscribeResult.AlreadySubscribed;
            if (entry.Streams.Count >= limit) return SubscribeResult.LimitReached;
            entry.Streams.Add(stream);
            _streams.GetOrAdd(stream, static _ => new(StringComparer.Ordinal))[connectionId] = entry.Connection;
            return SubscribeResult.Added;
        }
    }

    public bool Remove(string connectionId, string stream)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var entry) || !entry.Streams.Remove(stream)) return false;
            RemoveFromStream(stream, connectionId);
            return true;
        }
    }

    public int SubscriberCount(string stream) => _streams.TryGetValue(stream, out var subscribers) ? subscribers.Count : 0;

    /// <summary>The stream's local subscribers at this moment (empty when none).</summary>
    public IEnumerable<HubConnectionContext> Subscribers(string stream)
    {
        if (!_streams.TryGetValue(stream, out var subscribers)) yield break;
        // Enumerating the dictionary itself is lock-free; .Values would lock and copy.
        foreach (var pair in subscribers) yield return pair.Value;
    }

    private void RemoveFromStream(string stream, string connectionId)
    {
        if (!_streams.TryGetValue(stream, out var subscribers)) return;
        subscribers.TryRemove(connectionId, out _);
        if (subscribers.IsEmpty) _streams.TryRemove(stream, out _);
    }

    private sealed class Entry(HubConnectionContext connection)
    {
        public HubConnectionContext Connection { get; } = connection;

        // Guarded by _gate.
        public HashSet<string> Streams { get; } = new(StringComparer.Ordinal);
    }
}
