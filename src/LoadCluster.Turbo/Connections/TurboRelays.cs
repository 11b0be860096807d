using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// This node's connections, behind one <see cref="TurboRelay"/> per stream and one per user of
/// page connections. Invariant: a relay exists, and is known to the bus, only while at least one
/// connection is behind it, so memory and the backplane's channels return to baseline after churn.
/// Changes take one lock; pushes enumerate lock-free. One timer sends every connection that needs
/// one its heartbeat; on shutdown every connection is closed, so browsers reconnect elsewhere at once.
/// </summary>
internal sealed class TurboRelays : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TurboRelay> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TurboRelay> _pages = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Timer _heartbeat;
    private readonly CancellationTokenRegistration _stopping;
    private (SerializedHubMessage? Message, TurboMessage? Pushed) _last;
    private IHubProtocol? _json;
    private int _count;

    public TurboRelays(IServiceProvider services, IOptions<TurboOptions> options, ILoggerFactory loggerFactory, IHostApplicationLifetime? lifetime = null)
    {
        _services = services;
        _loggerFactory = loggerFactory;
        var every = options.Value.Heartbeat;
        _heartbeat = new Timer(static relays => ((TurboRelays)relays!).ForEach(static c => { if (c.WantsHeartbeat) c.Send(TurboMessage.Heartbeat); }), this, every, every);
        _stopping = lifetime?.ApplicationStopping.Register(static relays => ((TurboRelays)relays!).ForEach(static c => c.Close()), this) ?? default;
    }

    /// <summary>Connections on this node.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Relays on this node.</summary>
    public int RelayCount => _streams.Count + _pages.Count;

    /// <summary>Connections on this node listening to <paramref name="stream"/>.</summary>
    public int CountOf(string stream) => _streams.TryGetValue(stream, out var relay) ? relay.Count : 0;

    /// <summary>
    /// Puts a connection behind the relay of its stream (or, without one, of its user's pages),
    /// registering the relay on the bus first if it is new; returns it once the bus delivers to it.
    /// </summary>
    public async Task<TurboRelay> JoinAsync(TurboConnection connection, string? stream, string? userId)
    {
        TurboRelay relay;
        lock (_gate)
        {
            var (relays, key) = stream is null ? (_pages, userId ?? "") : (_streams, stream);
            if (!relays.TryGetValue(key, out relay!))
            {
                relay = stream is null
                    ? new TurboRelay(key, TurboPush.AllGroup, userId, this, Json, _loggerFactory)
                    : new TurboRelay(key, stream, null, this, Json, _loggerFactory);
                relays[key] = relay;
                relay.Registered = RegisterAsync(relay);
            }
            relay.Add(connection);
            _count++;
        }
        try
        {
            await relay.Registered;
        }
        catch
        {
            Leave(connection, relay);
            throw;
        }
        return relay;
    }

    /// <summary>Takes a connection out; the last one out of a relay takes the relay off the bus.</summary>
    public void Leave(TurboConnection connection, TurboRelay relay)
    {
        lock (_gate)
        {
            if (!relay.Remove(connection)) return;
            _count--;
            if (relay.Count > 0) return;
            var relays = relay.Group == TurboPush.AllGroup ? _pages : _streams;
            relays.TryRemove(new KeyValuePair<string, TurboRelay>(relay.Key, relay));
        }
        _ = UnregisterAsync(relay);
    }

    /// <summary>Gives markup to this node's connections of a stream, encoded once for all of them.</summary>
    public void Send(string stream, string markup)
    {
        if (_streams.TryGetValue(stream, out var relay)) relay.Send(new TurboMessage(markup));
    }

    /// <summary>
    /// A push the manager hands to relays, as a message. It hands the same one to each relay in
    /// turn, so the last is kept: a push that reaches several relays is read and encoded once.
    /// </summary>
    public TurboMessage? MessageOf(SerializedHubMessage message, IHubProtocol json)
    {
        var last = _last;
        if (ReferenceEquals(last.Message, message)) return last.Pushed;
        var pushed = PushedMarkup.TryGet(message, json, out var markup) ? new TurboMessage(markup) : null;
        _last = (message, pushed);
        return pushed;
    }

    private IHubProtocol Json => _json ??= _services.GetRequiredService<IHubProtocolResolver>().GetProtocol("json", null)
        ?? throw new InvalidOperationException("The SignalR JSON hub protocol is not registered; the stream endpoint needs it to read pushes from other nodes.");

    private HubLifetimeManager<TurboStreamsHub> Manager => _services.GetRequiredService<TurboBus>().Manager;

    private async Task RegisterAsync(TurboRelay relay)
    {
        // Off the caller's lock: the manager may go to Redis.
        await Task.Yield();
        var manager = Manager;
        await manager.OnConnectedAsync(relay);
        try
        {
            await manager.AddToGroupAsync(relay.ConnectionId, relay.Group);
        }
        catch
        {
            await manager.OnDisconnectedAsync(relay);
            throw;
        }
    }

    private async Task UnregisterAsync(TurboRelay relay)
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

    private void ForEach(Action<TurboConnection> action)
    {
        foreach (var relays in (ReadOnlySpan<ConcurrentDictionary<string, TurboRelay>>)[_streams, _pages])
        {
            foreach (var (_, relay) in relays)
            {
                foreach (var connection in relay.Connections) action(connection);
            }
        }
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _stopping.Dispose();
    }
}
