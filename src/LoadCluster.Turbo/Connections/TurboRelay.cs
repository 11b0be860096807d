using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo;

/// <summary>
/// Stands on the bus for this node's connections to one stream, or for one user's page
/// connections: one connection to the lifetime manager (SignalR's, or a backplane), in the stream's
/// group or in <see cref="TurboPush.AllGroup"/> with the user's id, whatever the number of browsers
/// behind it. So a push reaches each connection exactly once, the backplane keeps one connection
/// (and Redis channel) per stream or user instead of one per browser, and a push is read and
/// encoded once for every connection behind it. The managers write sends to groups and users
/// serialized (the one write overridden); sends by connection id do not reach browsers.
/// </summary>
internal sealed class TurboRelay : HubConnectionContext
{
    private readonly ConcurrentDictionary<TurboConnection, byte> _connections = new();
    private readonly TurboRelays _owner;

    public TurboRelay(string key, string group, string? userId, TurboRelays owner, ILoggerFactory loggerFactory)
        : base(new DefaultConnectionContext("turbo-relay-" + Guid.NewGuid().ToString("N")), new HubConnectionContextOptions(), loggerFactory)
    {
        Key = key;
        Group = group;
        UserIdentifier = userId;
        Protocol = TurboRelays.Json;
        _owner = owner;
    }

    public string Key { get; }

    /// <summary>The bus group it is in: the stream's name, or <see cref="TurboPush.AllGroup"/>.</summary>
    public string Group { get; }

    /// <summary>Completes once the manager knows the relay and it is in its group.</summary>
    public Task Registered { get; set; } = Task.CompletedTask;

    public int Count => _connections.Count;

    /// <summary>Under the owner's lock.</summary>
    public void Add(TurboConnection connection) => _connections[connection] = 0;

    /// <summary>Under the owner's lock.</summary>
    public bool Remove(TurboConnection connection) => _connections.TryRemove(connection, out _);

    /// <summary>Gives a push to every connection behind the relay (enumerating the dictionary itself is lock-free).</summary>
    public void Send(TurboMessage message)
    {
        foreach (var (connection, _) in _connections) connection.Send(message);
    }

    /// <summary>Closes every connection behind the relay (the app is stopping).</summary>
    public void Close()
    {
        foreach (var (connection, _) in _connections) connection.Close();
    }

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
    {
        if (_owner.MessageOf(message) is { } pushed) Send(pushed);
        return ValueTask.CompletedTask;
    }

    // The manager never aborts a relay of its own accord; nothing to do when asked.
    public override void Abort()
    {
    }
}
