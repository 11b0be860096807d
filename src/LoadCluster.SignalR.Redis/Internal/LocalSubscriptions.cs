using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// This server's members of each group (or user), with the Redis subscription reference
/// counted: subscribed when the first local member arrives, unsubscribed when the last leaves,
/// and the entry removed, so memory and channels return to where they were.
/// </summary>
/// <remarks>Keys are compared ordinally (case-sensitive), like the channel names they map to.</remarks>
internal sealed class LocalSubscriptions(Func<string, Task> subscribe, Func<string, Task> unsubscribe)
{
    private readonly ConcurrentDictionary<string, HubConnectionStore> _stores = new(StringComparer.Ordinal);
    // One lock for all keys: it only guards the 0 -> 1 and 1 -> 0 transitions and their Redis round trip.
    private readonly SemaphoreSlim _lock = new(1, 1);

    public HubConnectionStore? Get(string key) => _stores.TryGetValue(key, out var store) ? store : null;

    public int Count => _stores.Count;

    public async Task AddAsync(string key, HubConnectionContext connection)
    {
        await _lock.WaitAsync();
        try
        {
            if (_stores.TryGetValue(key, out var store))
            {
                store.Add(connection);
                return;
            }
            store = new HubConnectionStore();
            store.Add(connection);
            _stores[key] = store;
            await subscribe(key);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RemoveAsync(string key, HubConnectionContext connection)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_stores.TryGetValue(key, out var store)) return;
            store.Remove(connection);
            if (store.Count > 0) return;
            _stores.TryRemove(key, out _);
            await unsubscribe(key);
        }
        finally
        {
            _lock.Release();
        }
    }
}
