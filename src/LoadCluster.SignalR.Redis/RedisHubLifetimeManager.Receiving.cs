using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis;

// The receive loop: one reader per hub, in the order Redis delivered the messages, from a bounded queue.
internal sealed partial class RedisHubLifetimeManager<THub>
{
    private async Task ReadLoopAsync()
    {
        await foreach (var incoming in _incoming.Reader.ReadAllAsync())
        {
            try
            {
                await HandleAsync(incoming);
            }
            catch (InvalidDataException e)
            {
                BackplaneMetrics.Failure("decode");
                Log.DecodeFailed(_logger, incoming.Channel, e);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(_logger, incoming.Channel, e);
            }
        }
    }

    /// <summary>Runs on the Redis callback thread when the full queue evicts its oldest message: count and log, never wait.</summary>
    private void OnReceiveDropped(IncomingMessage dropped)
    {
        Interlocked.Increment(ref _receiveDrops);
        BackplaneMetrics.Failure("receive-overflow");
        if (_overflowLog.ShouldLog(out var suppressed)) Log.ReceiveQueueOverflow(_logger, _options.ReceiveQueueCapacity, dropped.Channel, suppressed);
    }

    private async Task HandleAsync(IncomingMessage incoming)
    {
        switch (incoming.Kind)
        {
            case ChannelKind.Ack:
                _acks.TriggerAck(RedisProtocol.ReadAck(incoming.Data));
                return;
            case ChannelKind.GroupManagement:
                await HandleGroupCommandAsync(RedisProtocol.ReadGroupCommand(incoming.Data));
                return;
            case ChannelKind.Return:
                HandleReturn(incoming.Data);
                return;
        }
        var invocation = RedisProtocol.ReadInvocation(incoming.Data);
        if (invocation.Origin == _redis.ServerName) return; // delivered locally when it was sent
        switch (incoming.Kind)
        {
            case ChannelKind.All:
                await WriteAsync(Enumerate(_connections), invocation.Message, invocation.ExcludedConnectionIds);
                break;
            case ChannelKind.Connection when _connections[incoming.Key] is { } connection:
                if (invocation.ResultRoute is { } route) _routedResults[route.InvocationId] = (connection.ConnectionId, route.ReturnServer);
                await WriteOneAsync(connection, invocation.Message);
                break;
            case ChannelKind.User when _users.Get(incoming.Key) is { } store:
                await WriteAsync(Enumerate(store), invocation.Message, null);
                break;
            case ChannelKind.Group when _groups.Get(incoming.Key) is { } store:
                await WriteAsync(GroupTargets(store, incoming.Key, invocation.Groups), invocation.Message, invocation.ExcludedConnectionIds);
                break;
        }
    }

    /// <summary>For a send to several groups: skip connections that an earlier group of the list reaches here.</summary>
    private IEnumerable<HubConnectionContext> GroupTargets(HubConnectionStore store, string group, IReadOnlyList<string> groups)
    {
        var index = groups.Count == 0 ? 0 : IndexOf(groups, group);
        foreach (var connection in store)
        {
            var earlier = false;
            for (var i = 0; i < index && !earlier; i++)
                earlier = _groups.Get(groups[i])?[connection.ConnectionId] is not null;
            if (!earlier) yield return connection;
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal)) return i;
        }
        return 0;
    }
}
