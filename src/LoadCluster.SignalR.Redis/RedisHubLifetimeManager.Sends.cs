using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis;

// Sends: local connections are written here, the rest go through Redis. The publish starts first,
// so other servers do not wait for this one's writes; local connections get the message even if it fails.
internal sealed partial class RedisHubLifetimeManager<THub>
{
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllCoreAsync(methodName, args, null, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAllCoreAsync(methodName, args, excludedConnectionIds, cancellationToken);

    private async Task SendAllCoreAsync(string methodName, object?[] args, IReadOnlyList<string>? excluded, CancellationToken cancellationToken)
    {
        var (message, payload) = Serialize(methodName, args, excluded, null);
        var published = _redis.PublishAsync(_channels.All, payload, cancellationToken);
        await WriteAsync(Enumerate(_connections), message, excluded);
        await published;
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        if (_connections[connectionId] is { } local)
            return WriteOneAsync(local, new SerializedHubMessage(new InvocationMessage(methodName, args)));
        var (_, payload) = Serialize(methodName, args, null, null);
        return _redis.PublishAsync(_channels.Connection(connectionId), payload, cancellationToken);
    }

    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        var local = new List<HubConnectionContext>();
        var remote = new List<string>();
        foreach (var id in connectionIds.Distinct(StringComparer.Ordinal))
        {
            if (_connections[id] is { } connection) local.Add(connection);
            else remote.Add(id);
        }
        var (message, payload) = Serialize(methodName, args, null, null);
        var published = Task.WhenAll(remote.Select(id => _redis.PublishAsync(_channels.Connection(id), payload, cancellationToken)));
        await WriteAsync(local, message, null);
        await published;
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        return SendGroupsCoreAsync([groupName], methodName, args, null, cancellationToken);
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        return SendGroupsCoreAsync([groupName], methodName, args, excludedConnectionIds, cancellationToken);
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        return SendGroupsCoreAsync(groupNames.Distinct(StringComparer.Ordinal).ToArray(), methodName, args, null, cancellationToken);
    }

    private async Task SendGroupsCoreAsync(string[] groups, string methodName, object?[] args, IReadOnlyList<string>? excluded, CancellationToken cancellationToken)
    {
        if (groups.Length == 0) return;
        var (message, payload) = Serialize(methodName, args, excluded, groups.Length > 1 ? groups : null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var local = new List<HubConnectionContext>();
        foreach (var group in groups)
        {
            if (_groups.Get(group) is not { } store) continue;
            foreach (var connection in store)
            {
                if (seen.Add(connection.ConnectionId)) local.Add(connection);
            }
        }
        var published = Task.WhenAll(groups.Select(g => _redis.PublishAsync(_channels.Group(g), payload, cancellationToken)));
        await WriteAsync(local, message, excluded);
        await published;
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return SendUsersCoreAsync([userId], methodName, args, cancellationToken);
    }

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return SendUsersCoreAsync(userIds.Distinct(StringComparer.Ordinal).ToArray(), methodName, args, cancellationToken);
    }

    private async Task SendUsersCoreAsync(string[] users, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (users.Length == 0) return;
        // A connection belongs to one user, so distinct users never reach a connection twice.
        var (message, payload) = Serialize(methodName, args, null, null);
        var local = users.SelectMany(u => _users.Get(u) is { } store ? Enumerate(store) : []).ToList();
        var published = Task.WhenAll(users.Select(u => _redis.PublishAsync(_channels.User(u), payload, cancellationToken)));
        await WriteAsync(local, message, null);
        await published;
    }

    private static IEnumerable<HubConnectionContext> Enumerate(HubConnectionStore store)
    {
        foreach (var connection in store) yield return connection;
    }

    private async Task WriteAsync(IEnumerable<HubConnectionContext> connections, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        List<Task>? pending = null;
        foreach (var connection in connections)
        {
            if (excluded is { Count: > 0 } && excluded.Contains(connection.ConnectionId)) continue;
            var write = WriteOneAsync(connection, message);
            if (!write.IsCompleted) (pending ??= []).Add(write);
        }
        if (pending is not null) await Task.WhenAll(pending);
    }

    /// <summary>Writes the pre-serialized bytes; a failing connection is logged and never stops the others.</summary>
    private async Task WriteOneAsync(HubConnectionContext connection, SerializedHubMessage message)
    {
        try
        {
            await connection.WriteAsync(message);
            BackplaneMetrics.Written.Add(1);
        }
        catch (Exception e)
        {
            BackplaneMetrics.Failure("write");
            Log.WriteFailed(_logger, connection.ConnectionId, e);
        }
    }
}
