using System.Text.Json;
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
        if (message is InvocationMessage { Target: TurboPush.ClientMethod, Arguments: [string streams, ..] }) Enqueue(streams);
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
    {
        if (message.Message is not null) return WriteAsync(message.Message, cancellationToken);
        // Came from another node as bytes: read the JSON hub protocol frame back.
        if (TryReadStreams(message.GetSerializedMessage(Protocol).Span, out var streams)) Enqueue(streams);
        return ValueTask.CompletedTask;
    }

    public override void Abort()
    {
        _queue.Writer.TryComplete();
        try { _aborted.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>JSON hub protocol: <c>{"type":1,"target":"turbo-stream","arguments":["..."]}</c> then 0x1E.</summary>
    internal static bool TryReadStreams(ReadOnlySpan<byte> frame, out string streams)
    {
        streams = "";
        if (frame.Length > 0 && frame[^1] == 0x1E) frame = frame[..^1];
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Number || type.GetInt32() != HubProtocolConstants.InvocationMessageType
                || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String || target.GetString() != TurboPush.ClientMethod
                || !root.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array
                || arguments.GetArrayLength() < 1 || arguments[0].ValueKind != JsonValueKind.String)
                return false;
            streams = arguments[0].GetString()!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Enqueue(string streams)
    {
        if (!_queue.Writer.TryWrite(streams)) Abort();
    }

    public void Dispose() => _aborted.Dispose();
}
