using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// This node's sockets (the socket endpoint's connections), grouped behind one
/// <see cref="TurboSocketRelay"/> per stream and user. Invariant: a relay exists, and is known to the
/// lifetime manager, only while at least one socket is behind it, so memory and the backplane's
/// channels return to baseline after churn. Changes take one lock; pushes enumerate lock-free.
/// Every <see cref="TurboOptions.SocketHeartbeat"/> each socket gets an unsolicited pong (one timer for all).
/// </summary>
internal sealed class TurboSockets : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TurboSocketRelay>> _streams = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Timer _heartbeat;
    private readonly CancellationTokenRegistration _stopping;
    private (SerializedHubMessage? Message, byte[]? Frame) _lastFrame;
    private IHubProtocol? _json;
    private int _count;

    public TurboSockets(IServiceProvider services, IOptions<TurboOptions> options, ILoggerFactory loggerFactory, IHostApplicationLifetime? lifetime = null)
    {
        _services = services;
        _loggerFactory = loggerFactory;
        var every = options.Value.SocketHeartbeat;
        _heartbeat = new Timer(static state => ((TurboSockets)state!).SendToAll(WebSocketFrames.Heartbeat), this, every, every);
        // On shutdown the browsers learn at once and reconnect elsewhere, rather than after Kestrel's grace period.
        _stopping = lifetime?.ApplicationStopping.Register(static state => ((TurboSockets)state!).SendToAll(WebSocketFrames.NormalClose), this) ?? default;
    }

    /// <summary>Sockets on this node.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Relays on this node (one per stream and user with a socket here).</summary>
    public int RelayCount => _streams.Sum(s => s.Value.Count);

    /// <summary>Sockets on this node listening to <paramref name="stream"/>.</summary>
    public int CountOf(string stream)
    {
        if (!_streams.TryGetValue(stream, out var relays)) return 0;
        var count = 0;
        foreach (var (_, relay) in relays) count += relay.Count;
        return count;
    }

    /// <summary>Puts a socket behind the relay of its stream and user, registering the relay first if it is new; returns it.</summary>
    public async Task<TurboSocketRelay> JoinAsync(TurboSocket socket, string stream, string? userId)
    {
        TurboSocketRelay relay;
        lock (_gate)
        {
            var relays = _streams.GetOrAdd(stream, static _ => new(StringComparer.Ordinal));
            if (!relays.TryGetValue(userId ?? "", out relay!))
            {
                relay = new TurboSocketRelay(stream, userId, this, Json, _loggerFactory);
                relays[userId ?? ""] = relay;
                relay.Registered = RegisterAsync(relay);
            }
            relay.Add(socket);
            _count++;
        }
        try
        {
            await relay.Registered;
        }
        catch
        {
            Leave(socket, relay);
            throw;
        }
        return relay;
    }

    /// <summary>Takes a socket out; the last one out of a relay takes the relay out of the manager.</summary>
    public void Leave(TurboSocket socket, TurboSocketRelay relay)
    {
        lock (_gate)
        {
            var before = relay.Count;
            relay.Remove(socket);
            if (relay.Count == before) return;
            _count--;
            if (relay.Count > 0) return;
            if (_streams.TryGetValue(relay.Stream, out var relays))
            {
                relays.TryRemove(new KeyValuePair<string, TurboSocketRelay>(relay.UserIdentifier ?? "", relay));
                if (relays.IsEmpty) _streams.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, TurboSocketRelay>>(relay.Stream, relays));
            }
        }
        _ = UnregisterAsync(relay);
    }

    /// <summary>Writes markup to this node's sockets of a stream, framed once for all of them.</summary>
    public void Send(string stream, string streams)
    {
        if (!_streams.TryGetValue(stream, out var relays) || relays.IsEmpty) return;
        var frame = WebSocketFrames.TextFrame(streams);
        foreach (var (_, relay) in relays) relay.Send(frame);
    }

    /// <summary>
    /// The frame of a push the manager hands to relays. It hands the same message to each relay in
    /// turn, so the last one is kept: a push that reaches several relays is read and framed once.
    /// </summary>
    public byte[]? FrameOf(SerializedHubMessage message, IHubProtocol json)
    {
        var last = _lastFrame;
        if (ReferenceEquals(last.Message, message)) return last.Frame;
        var frame = PushedMarkup.TryGet(message, json, out var streams) ? WebSocketFrames.TextFrame(streams) : null;
        _lastFrame = (message, frame);
        return frame;
    }

    private IHubProtocol Json => _json ??= _services.GetRequiredService<IHubProtocolResolver>().GetProtocol("json", null)
        ?? throw new InvalidOperationException("The SignalR JSON hub protocol is not registered; the socket endpoint needs it to read pushes from other nodes.");

    private HubLifetimeManager<TurboStreamsHub> Manager => _services.GetRequiredService<HubLifetimeManager<TurboStreamsHub>>();

    private async Task RegisterAsync(TurboSocketRelay relay)
    {
        // Off the caller's lock: the manager may go to Redis.
        await Task.Yield();
        var manager = Manager;
        await manager.OnConnectedAsync(relay);
        try
        {
            await manager.AddToGroupAsync(relay.ConnectionId, relay.Stream);
        }
        catch
        {
            await manager.OnDisconnectedAsync(relay);
            throw;
        }
    }

    private async Task UnregisterAsync(TurboSocketRelay relay)
    {
        try
        {
            await relay.Registered;
        }
        catch
        {
            return; // never registered
        }
        await Manager.OnDisconnectedAsync(relay);
    }

    private void SendToAll(byte[] frame)
    {
        foreach (var (_, relays) in _streams)
        {
            foreach (var (_, relay) in relays) relay.Send(frame);
        }
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _stopping.Dispose();
    }
}
