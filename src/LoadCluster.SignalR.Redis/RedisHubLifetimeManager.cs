using System.Collections.Concurrent;
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
/// <para>Client results (<c>InvokeConnectionAsync&lt;T&gt;</c>) work across servers; the
/// caller's cancellation token bounds the wait.</para>
/// <para>The type is split by concern: sends, groups, client results, receiving.</para>
/// </remarks>
internal sealed partial class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>, IAsyncDisposable where THub : Hub
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
    private readonly Channel<IncomingMessage> _incoming;
    private readonly LogThrottle _overflowLog = new(TimeSpan.FromSeconds(1));
    private long _receiveDrops;
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
        // Bounded, because connections slower than the traffic would otherwise grow it without
        // limit. Full means drop, never wait: the writer is the Redis client's callback thread,
        // which must not block. DropOldest rather than DropWrite: the oldest message is the
        // most stale (a live page wants the latest fragment, and a later one usually replaces it),
        // and whoever awaits an old ack or client result is the likeliest to have given up already.
        _incoming = Channel.CreateBounded<IncomingMessage>(
            new BoundedChannelOptions(_options.ReceiveQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            OnReceiveDropped);
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

    /// <summary>Received messages waiting for the reader loop; never more than <see cref="RedisBackplaneOptions.ReceiveQueueCapacity"/>.</summary>
    internal int ReceiveQueueCount => _incoming.Reader.Count;

    /// <summary>Received messages dropped because the receive queue was full.</summary>
    internal long ReceiveDropCount => Interlocked.Read(ref _receiveDrops);

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

    /// <summary>Serializes once for every protocol: the same bytes go to local connections and into the Redis message.</summary>
    private (SerializedHubMessage Message, byte[] Payload) Serialize(string methodName, object?[] args, IReadOnlyList<string>? excluded, IReadOnlyList<string>? groups)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        var message = new SerializedHubMessage(new InvocationMessage(methodName, args));
        return (message, RedisProtocol.WriteInvocation(_redis.ServerName, excluded, groups, message, _protocols));
    }

    public async ValueTask DisposeAsync()
    {
        _incoming.Writer.TryComplete();
        await _reader;
    }
}
