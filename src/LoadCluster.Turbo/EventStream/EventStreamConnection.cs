using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo;

/// <summary>
/// An event-stream request seen by the hub's lifetime manager as one more hub connection, so it
/// gets the same pushes (local, group, user, all, and those arriving through a backplane). Lifetime
/// managers talk to connections only through the public virtual WriteAsync overloads, ConnectionId,
/// UserIdentifier and ConnectionAborted (checked against DefaultHubLifetimeManager); this type
/// overrides the writes to queue the "turbo-stream" argument for the response loop instead of
/// writing hub protocol frames. Other messages (pings, closes, other methods) are dropped.
/// </summary>
internal sealed class EventStreamConnection : HubConnectionContext, IDisposable
{
    /// <summary>Messages waiting for a slow reader; beyond this the connection is dropped and the browser reconnects and resyncs.</summary>
    internal const int QueueCapacity = 256;

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly CancellationTokenSource _aborted;

    public EventStreamConnection(ConnectionContext context, IHubProtocol jsonProtocol, ILoggerFactory loggerFactory, CancellationToken requestAborted)
        : base(context, new HubConnectionContextOptions(), loggerFactory)
    {
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        Protocol = jsonProtocol;
    }

    public override CancellationToken ConnectionAborted => _aborted.Token;

    public ChannelReader<string> Queue => _queue.Reader;

    public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default)
    {
        if (PushedMarkup.TryGet(message, out var streams)) Enqueue(streams);
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
    {
        if (PushedMarkup.TryGet(message, Protocol, out var streams)) Enqueue(streams);
        return ValueTask.CompletedTask;
    }

    public override void Abort()
    {
        _queue.Writer.TryComplete();
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
    }

    private void Enqueue(string streams)
    {
        if (!_queue.Writer.TryWrite(streams)) Abort();
    }

    public void Dispose() => _aborted.Dispose();
}
