using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.SignalR.Redis;

/// <summary>
/// A <see cref="HubLifetimeManager{THub}"/> that reaches the connections of every server through
/// Redis pub/sub.
/// </summary>
/// <remarks>
/// <para>Exactly once: the sending server writes to its own connections itself and ignores its
/// echo; every other server writes to its own. A send to several groups is one encoding
/// published on each group channel, carrying the whole list; a server receiving it on group i
/// skips connections it holds in an earlier group of the list, which it also receives.</para>
/// <para>Each message is serialized once per hub protocol at the sender; receivers write those
/// bytes as they are. A send to a connection held here does not touch Redis.</para>
/// <para>Group names and user ids are case-sensitive (ordinal) and literal.</para>
/// <para>Nothing is queued while Redis is down: sends that need Redis throw an
/// <see cref="IOException"/> at once, after local connections got the message.</para>
/// </remarks>
internal sealed class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>, IAsyncDisposable where THub : Hub
{
    private readonly RedisBackplaneConnection _redis;
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly RedisChannels _channels;
    private readonly IReadOnlyList<IHubProtocol> _protocols;
    private readonly HubConnectionStore _connections = new();
    private readonly Dictionary<string, ConnectionState> _states = new(StringComparer.Ordinal);
    private readonly LocalSubscriptions _groups;
    private readonly LocalSubscriptions _users;
    private readonly AckHandler _acks = new();
    private readonly LocalClientResults _clientResults = new();
    // Client results asked by other servers of connections held here: invocation id -> (connection, asking server).
    private readonly ConcurrentDictionary<string, (string ConnectionId, string ReturnServer)> _routedResults = new(StringComparer.Ordinal);
    private readonly string _invocationIdPrefix = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<IncomingMessage> _incoming = Channel.CreateUnbounded<IncomingMessage>(new() { SingleReader = true });
    private readonly Task _reader;
    private readonly Task _started;
    private long _lastInvocationId;

    public RedisHubLifetimeManager(
        RedisBackplaneConnection redis,
        IOptions<RedisBackplaneOptions> options,
        IHubProtocolResolver protocolResolver,
        IOptions<HubOptions> globalHubOptions,
        IOptions<HubOptions<THub>> hubOptions,
        ILogger<RedisHubLifetimeManager<THub>> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
        _channels = new RedisChannels(_options.ChannelPrefix, typeof(THub).FullName!);
        var supported = hubOptions.Value.SupportedProtocols ?? globalHubOptions.Value.SupportedProtocols;
        _protocols = protocolResolver.AllProtocols
            .Where(p => supported is null || supported.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
            .ToArray();
        _groups = new LocalSubscriptions(g => Subscribe(_channels.Group(g), ChannelKind.Group, g), g => _redis.UnsubscribeAsync(_channels.Group(g)));
        _users = new LocalSubscriptions(u => Subscribe(_channels.User(u), ChannelKind.User, u), u => _redis.UnsubscribeAsync(_channels.User(u)));
        _reader = Task.Run(ReadLoopAsync);
        _started = StartAsync();
    }

    /// <summary>Connections held by this server (for tests and metrics).</summary>
    internal int LocalConnectionCount => _connections.Count;

    internal int LocalGroupCount => _groups.Count;

    internal int LocalUserCount => _users.Count;

    internal int PendingAckCount => _acks.PendingCount;

    /// <summary>Completes when this hub's shared channels (all, group commands, acks) are subscribed.</summary>
    internal Task Started => _started;

    private async Task StartAsync()
    {
        await Subscribe(_channels.All, ChannelKind.All, "");
        await Subscribe(_channels.GroupManagement, ChannelKind.GroupManagement, "");
        await Subscribe(_channels.Ack(_redis.ServerName), ChannelKind.Ack, "");
        await Subscribe(_channels.Return(_redis.ServerName), ChannelKind.Return, "");
    }

    private Task Subscribe(string channel, ChannelKind kind, string key) =>
        _redis.SubscribeAsync(channel, data => _incoming.Writer.TryWrite(new IncomingMessage(kind, key, channel, data)));

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _started;
        var state = new ConnectionState();
        lock (_states) _states[connection.ConnectionId] = state;
        _connections.Add(connection);
        await Subscribe(_channels.Connection(connection.ConnectionId), ChannelKind.Connection, connection.ConnectionId);
        if (connection.UserIdentifier is { } user) await _users.AddAsync(user, connection);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        _clientResults.FailAll(connection.ConnectionId);
        await FailRoutedResultsAsync(connection);
        await _redis.UnsubscribeAsync(_channels.Connection(connection.ConnectionId));
        ConnectionState? state;
        lock (_states)
        {
            if (_states.Remove(connection.ConnectionId, out state)) { }
        }
        if (state is not null)
        {
            await state.Lock.WaitAsync();
            try
            {
                state.Disconnected = true;
                foreach (var group in state.Groups) await _groups.RemoveAsync(group, connection);
                state.Groups.Clear();
            }
            finally
            {
                state.Lock.Release();
            }
        }
        if (connection.UserIdentifier is { } user) await _users.RemoveAsync(user, connection);
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllCoreAsync(methodName, args, null, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAllCoreAsync(methodName, args, excludedConnectionIds, cancellationToken);

    private async Task SendAllCoreAsync(string methodName, object?[] args, IReadOnlyList<string>? excluded, CancellationToken cancellationToken)
    {
        var (message, payload) = Serialize(methodName, args, excluded, null);
        await WriteAsync(Enumerate(_connections), message, excluded);
        await _redis.PublishAsync(_channels.All, payload, cancellationToken);
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
        await WriteAsync(local, message, null);
        await Task.WhenAll(remote.Select(id => _redis.PublishAsync(_channels.Connection(id), payload, cancellationToken)));
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
        await WriteAsync(local, message, excluded);
        await Task.WhenAll(groups.Select(g => _redis.PublishAsync(_channels.Group(g), payload, cancellationToken)));
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
        await WriteAsync(local, message, null);
        await Task.WhenAll(users.Select(u => _redis.PublishAsync(_channels.User(u), payload, cancellationToken)));
    }

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

    /// <summary>
    /// Client results work across servers: for a connection held elsewhere, the invocation goes
    /// on that connection's channel with this server's return channel, and the owner forwards the
    /// client's completion as the client wrote it; it is read here as <typeparamref name="T"/>.
    /// </summary>
    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(methodName);
        var invocationId = $"{_invocationIdPrefix}-{Interlocked.Increment(ref _lastInvocationId)}";
        var connection = _connections[connectionId];
        if (connection is null) await _started; // the answer comes back on this server's return channel
        var result = _clientResults.Add<T>(invocationId, connectionId, cancellationToken);
        try
        {
            var invocation = new InvocationMessage(invocationId, methodName, args);
            if (connection is not null)
            {
                await connection.WriteAsync(invocation, cancellationToken);
            }
            else
            {
                var payload = RedisProtocol.WriteInvocation(_redis.ServerName, null, null, new SerializedHubMessage(invocation), _protocols, new ClientResultRoute(invocationId, _redis.ServerName));
                if (await _redis.PublishAsync(_channels.Connection(connectionId), payload, cancellationToken) == 0)
                    throw new IOException($"Connection '{connectionId}' does not exist on any server.");
            }
        }
        catch
        {
            _clientResults.Remove(invocationId);
            throw;
        }
        return await result;
    }

    public override async Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        if (result.InvocationId is { } id
            && _routedResults.TryGetValue(id, out var route)
            && route.ConnectionId == connectionId
            && _routedResults.TryRemove(id, out _))
        {
            if (_connections[connectionId] is { } connection) await ForwardResultAsync(id, route.ReturnServer, connection.Protocol, result);
            return;
        }
        _clientResults.TryComplete(connectionId, result);
    }

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type)
    {
        if (_clientResults.TryGetReturnType(invocationId, out type)) return true;
        // Asked by another server: keep the client's answer as raw bytes, to forward as it is.
        type = _routedResults.ContainsKey(invocationId) ? typeof(RawResult) : null;
        return type is not null;
    }

    /// <summary>Other servers' pending results from a connection that left get an error instead of waiting forever.</summary>
    private async Task FailRoutedResultsAsync(HubConnectionContext connection)
    {
        foreach (var (id, route) in _routedResults)
        {
            if (route.ConnectionId == connection.ConnectionId && _routedResults.TryRemove(id, out _))
                await ForwardResultAsync(id, route.ReturnServer, connection.Protocol, CompletionMessage.WithError(id, $"Connection '{connection.ConnectionId}' disconnected before it returned a result."));
        }
    }

    private async Task ForwardResultAsync(string invocationId, string returnServer, IHubProtocol protocol, CompletionMessage completion)
    {
        try
        {
            var bytes = protocol.GetMessageBytes(completion);
            await _redis.PublishAsync(_channels.Return(returnServer), RedisProtocol.WriteReturn(invocationId, protocol.Name, bytes.Span), CancellationToken.None);
        }
        catch (IOException)
        {
            // Logged by the publish; the asking server's caller ends on its own cancellation token.
        }
    }

    private void HandleReturn(byte[] data)
    {
        var (invocationId, protocolName, completion) = RedisProtocol.ReadReturn(data);
        _clientResults.TryCompleteForwarded(invocationId, type =>
        {
            var protocol = _protocols.FirstOrDefault(p => p.Name == protocolName)
                ?? throw new InvalidDataException($"this server does not have the hub protocol '{protocolName}'");
            var input = new ReadOnlySequence<byte>(completion);
            return protocol.TryParseMessage(ref input, new ResultBinder(type), out var message) && message is CompletionMessage parsed
                ? parsed
                : throw new InvalidDataException("the forwarded answer is not a completion message");
        });
    }

    /// <summary>Serializes once for every protocol: the same bytes go to local connections and into the Redis message.</summary>
    private (SerializedHubMessage Message, byte[] Payload) Serialize(string methodName, object?[] args, IReadOnlyList<string>? excluded, IReadOnlyList<string>? groups)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        var message = new SerializedHubMessage(new InvocationMessage(methodName, args));
        return (message, RedisProtocol.WriteInvocation(_redis.ServerName, excluded, groups, message, _protocols));
    }

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

    public async ValueTask DisposeAsync()
    {
        _incoming.Writer.TryComplete();
        await _reader;
    }
}
