using System.Collections.Concurrent;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// Waits for the owner of a remote connection to acknowledge a group command. Ids are unique
/// per server, and acks come back on this server's own ack channel.
/// </summary>
internal sealed class AckHandler
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _pending = new();
    private int _lastId;

    public (int Id, Task Acked) Create()
    {
        var id = Interlocked.Increment(ref _lastId);
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        return (id, tcs.Task);
    }

    public void TriggerAck(int id)
    {
        if (_pending.TryRemove(id, out var tcs)) tcs.TrySetResult();
    }

    /// <summary>Forgets an ack nobody waits for any more (timed out, cancelled, publish failed).</summary>
    public void Forget(int id) => _pending.TryRemove(id, out _);

    public int PendingCount => _pending.Count;
}
