using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis;

// Group membership: local changes are reference counted; remote ones are commands answered by an ack.
internal sealed partial class RedisHubLifetimeManager<THub>
{
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        return _connections[connectionId] is { } local
            ? AddLocalAsync(local, groupName)
            : SendGroupCommandAsync(GroupAction.Add, connectionId, groupName, cancellationToken);
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(groupName);
        return _connections[connectionId] is { } local
            ? RemoveLocalAsync(local, groupName)
            : SendGroupCommandAsync(GroupAction.Remove, connectionId, groupName, cancellationToken);
    }

    private async Task AddLocalAsync(HubConnectionContext connection, string group)
    {
        if (StateOf(connection.ConnectionId) is not { } state) return;
        await state.Lock.WaitAsync();
        try
        {
            if (!state.Disconnected && state.Groups.Add(group)) await _groups.AddAsync(group, connection);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    private async Task RemoveLocalAsync(HubConnectionContext connection, string group)
    {
        if (StateOf(connection.ConnectionId) is not { } state) return;
        await state.Lock.WaitAsync();
        try
        {
            if (state.Groups.Remove(group)) await _groups.RemoveAsync(group, connection);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    private ConnectionState? StateOf(string connectionId)
    {
        lock (_states) return _states.GetValueOrDefault(connectionId);
    }

    /// <summary>Asks the server holding the connection to change its groups, and waits for its ack.</summary>
    private async Task SendGroupCommandAsync(GroupAction action, string connectionId, string group, CancellationToken cancellationToken)
    {
        await _started;
        var (id, acked) = _acks.Create();
        try
        {
            var payload = RedisProtocol.WriteGroupCommand(new RedisGroupCommand(id, _redis.ServerName, action, group, connectionId));
            await _redis.PublishAsync(_channels.GroupManagement, payload, cancellationToken);
            await acked.WaitAsync(_options.AckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            BackplaneMetrics.Failure("ack");
            var what = action == GroupAction.Add ? $"adding connection '{connectionId}' to" : $"removing connection '{connectionId}' from";
            throw new TimeoutException($"No server acknowledged {what} group '{group}' within {_options.AckTimeout.TotalSeconds:0.#} s: the connection is not connected to any server of this hub, or its server cannot reach Redis.");
        }
        finally
        {
            _acks.Forget(id);
        }
    }

    private async Task HandleGroupCommandAsync(RedisGroupCommand command)
    {
        if (_connections[command.ConnectionId] is not { } connection) return; // held by another server, or gone
        if (command.Action == GroupAction.Add) await AddLocalAsync(connection, command.GroupName);
        else await RemoveLocalAsync(connection, command.GroupName);
        _ = AckAsync(command); // not awaited: a slow Redis must not hold up the messages queued behind this one
    }

    private async Task AckAsync(RedisGroupCommand command)
    {
        try
        {
            await _redis.PublishAsync(_channels.Ack(command.Origin), RedisProtocol.WriteAck(command.Id), CancellationToken.None);
        }
        catch (IOException e)
        {
            Log.AckFailed(_logger, command.Id, command.Origin, e);
        }
    }
}
