using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo;

/// <summary>
/// Stands for every socket of one stream and one user on this node before the hub's lifetime
/// manager (SignalR's, or a backplane): one hub connection, in the stream's group and with the
/// user's id, whatever the number of sockets behind it. So a push to the stream, to the user or to
/// all reaches each socket exactly once, and the backplane keeps one connection and its Redis
/// channel per (stream, user) instead of per browser. Each push is framed once and the same bytes
/// are written to every socket. A socket's own connection id is not known to the manager: sends
/// to one connection id, and exclusions by connection id, do not apply to sockets.
/// </summary>
internal sealed class TurboSocketRelay : HubConnectionContext
{
    private readonly ConcurrentDictionary<TurboSocket, byte> _sockets = new();
    private readonly TurboSockets _owner;

    public TurboSocketRelay(string stream, string? userId, TurboSockets owner, IHubProtocol jsonProtocol, ILoggerFactory loggerFactory)
        : base(new DefaultConnectionContext("turbo-socket-" + Guid.NewGuid().ToString("N")), new HubConnectionContextOptions(), loggerFactory)
    {
        Stream = stream;
        UserIdentifier = userId;
        Protocol = jsonProtocol;
        _owner = owner;
    }

    public string Stream { get; }

    /// <summary>Completes once the manager knows the relay and it is in its stream's group.</summary>
    public Task Registered { get; set; } = Task.CompletedTask;

    /// <summary>Guarded by the owner's lock.</summary>
    public int Count { get; private set; }

    public void Add(TurboSocket socket)
    {
        _sockets[socket] = 0;
        Count++;
    }

    public void Remove(TurboSocket socket)
    {
        if (_sockets.TryRemove(socket, out _)) Count--;
    }

    /// <summary>Writes a frame to every socket behind the relay (enumerating the dictionary itself is lock-free).</summary>
    public void Send(byte[] frame)
    {
        foreach (var (socket, _) in _sockets) socket.Send(frame);
    }

    public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default)
    {
        if (PushedMarkup.TryGet(message, out var streams)) Send(WebSocketFrames.TextFrame(streams));
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
    {
        if (_owner.FrameOf(message, Protocol) is { } frame) Send(frame);
        return ValueTask.CompletedTask;
    }

    // The manager never aborts a relay of its own accord; nothing to do when asked.
    public override void Abort()
    {
    }
}
