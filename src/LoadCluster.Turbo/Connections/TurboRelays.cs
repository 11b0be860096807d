using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// This node's connections, behind one <see cref="TurboRelay"/> per stream (keyed by its name) and
/// one per user of page connections (keyed <c>turbo:all/{user}</c>, which no stream name can be).
/// Invariant: a relay exists, and is on the bus, only while a connection is behind it, so memory and
/// the backplane's channels return to baseline after churn. Changes take one lock; pushes enumerate
/// lock-free. One timer sends the connections that need one their heartbeat; when the app stops,
/// every connection is closed, so browsers reconnect elsewhere at once.
/// </summary>
internal sealed class TurboRelays : IDisposable
{
    // A backplane's message carries its JSON serialization under the protocol's name, whatever the instance.
    internal static readonly JsonHubProtocol Json = new();

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TurboRelay> _relays = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly Timer _heartbeat;
    private readonly CancellationTokenRegistration _stopping;
    private Decoded? _last;

    public TurboRelays(IServiceProvider services, IOptions<TurboOptions> options, IHostApplicationLifetime? lifetime = null)
    {
        _services = services;
        var every = options.Value.Heartbeat;
        _heartbeat = new Timer(static relays => ((TurboRelays)relays!).ForEach(static relay => relay.Send(TurboMessage.Heartbeat)), this, every, every);
        _stopping = lifetime?.ApplicationStopping.Register(static relays => ((TurboRelays)relays!).ForEach(static relay => relay.Close()), this) ?? default;
    }

    public int ConnectionCount => _relays.Sum(pair => pair.Value.Count);

    public int RelayCount => _relays.Count;

    public int SubscriberCount(string stream) => _relays.TryGetValue(stream, out var relay) ? relay.Count : 0;

    /// <summary>
    /// Puts a connection behind the relay of its stream (or, without one, of its user's pages),
    /// putting the relay on the bus first if it is new; returns it once the bus delivers to it.
    /// </summary>
    public async Task<TurboRelay> JoinAsync(TurboConnection connection, string? stream, string? userId)
    {
        var key = stream ?? TurboPush.AllGroup + "/" + userId;
        TurboRelay relay;
        lock (_gate)
        {
            if (!_relays.TryGetValue(key, out relay!))
            {
                relay = new TurboRelay(key, stream ?? TurboPush.AllGroup, stream is null ? userId : null, this,
                    _services.GetRequiredService<ILoggerFactory>());
                _relays[key] = relay;
                relay.Registered = RegisterAsync(relay);
            }
            relay.Add(connection);
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
            if (relay.Count > 0) return;
            _relays.TryRemove(new KeyValuePair<string, TurboRelay>(relay.Key, relay));
        }
        _ = UnregisterAsync(relay);
    }

    /// <summary>Gives markup to this node's connections of a stream, encoded once for all of them.</summary>
    public void Send(string stream, string markup)
    {
        if (_relays.TryGetValue(stream, out var relay)) relay.Send(new TurboMessage(markup));
    }

    /// <summary>
    /// A push the bus hands to relays, as a message. It hands the same one to each relay in turn, so
    /// the last is kept: a push that reaches several relays is read and encoded once.
    /// </summary>
    public TurboMessage? MessageOf(SerializedHubMessage message)
    {
        // One reference, read and written whole: pushes from other channels arrive on other threads.
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Message, message)) return last.Pushed;
        var pushed = MarkupOf(message.Message ?? Parse(message)) is { } markup ? new TurboMessage(markup) : null;
        Volatile.Write(ref _last, new Decoded(message, pushed));
        return pushed;
    }

    /// <summary>The markup of a push: an invocation of <see cref="TurboPush.ClientMethod"/> with one string; null for anything else.</summary>
    private static string? MarkupOf(HubMessage? message) =>
        message is InvocationMessage { Target: TurboPush.ClientMethod, Arguments: [string markup, ..] } ? markup : null;

    /// <summary>A push from another node, read with the hub protocol's own parser.</summary>
    private static HubMessage? Parse(SerializedHubMessage message)
    {
        var bytes = new ReadOnlySequence<byte>(message.GetSerializedMessage(Json));
        try { return Json.TryParseMessage(ref bytes, OneString.Instance, out var parsed) ? parsed : null; }
        catch (InvalidDataException) { return null; } // not ours: whoever may publish on the backplane's channels can send anything
    }

    private HubLifetimeManager<TurboStreamsHub> Bus => _services.GetRequiredService<TurboBus>().Manager;

    private async Task RegisterAsync(TurboRelay relay)
    {
        // Off the caller's lock: the bus may go to Redis.
        await Task.Yield();
        await Bus.OnConnectedAsync(relay);
        try
        {
            await Bus.AddToGroupAsync(relay.ConnectionId, relay.Group);
        }
        catch
        {
            await Bus.OnDisconnectedAsync(relay);
            throw;
        }
    }

    private async Task UnregisterAsync(TurboRelay relay)
    {
        await relay.Registered.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (relay.Registered.IsCompletedSuccessfully) await Bus.OnDisconnectedAsync(relay); // else never on the bus
    }

    private void ForEach(Action<TurboRelay> action)
    {
        foreach (var (_, relay) in _relays) action(relay);
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _stopping.Dispose();
    }

    private sealed record Decoded(SerializedHubMessage Message, TurboMessage? Pushed);

    /// <summary>Tells the parser a push's one argument is a string.</summary>
    private sealed class OneString : IInvocationBinder
    {
        public static readonly OneString Instance = new();

        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(string)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
