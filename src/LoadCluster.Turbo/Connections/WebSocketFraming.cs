using System.Net.WebSockets;

namespace LoadCluster.Turbo;

/// <summary>
/// A connection over ASP.NET Core's own WebSocket (RFC 6455: the framework answers pings, sends an
/// unsolicited pong every <see cref="TurboOptions.Heartbeat"/>, and closes with 1002 on a protocol
/// error). Each push is one text message. The browser sends nothing: a message from it closes the
/// socket with 1003; its close is echoed; a server that stops closes with 1001.
/// </summary>
internal static class WebSocketFraming
{
    public static async Task ServeAsync(WebSocket socket, TurboConnection connection)
    {
        var writing = WriteAsync(socket, connection);
        try
        {
            // Big enough to learn what the browser sent; a close's payload the framework reads itself.
            var received = await socket.ReceiveAsync(new byte[1].AsMemory(), CancellationToken.None);
            if (received.MessageType != WebSocketMessageType.Close)
                await socket.CloseOutputAsync(WebSocketCloseStatus.InvalidMessageType, "This endpoint takes no messages.", CancellationToken.None);
            else if (socket.State == WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The browser went away, broke the protocol (the framework closed with 1002), or the connection was aborted.
        }
        finally
        {
            connection.Close(discard: true);
            await writing;
        }
    }

    private static async Task WriteAsync(WebSocket socket, TurboConnection connection)
    {
        try
        {
            TurboMessage? message;
            while ((message = await connection.NextAsync()) is not null)
            {
                if (!ReferenceEquals(message, TurboMessage.Heartbeat))
                    await socket.SendAsync(message.Utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                // Not held while the connection waits for the next push: an idle socket keeps no markup.
                message = null;
            }
            // Closed by the server (it is stopping): the browser reconnects elsewhere at once.
            if (socket.State == WebSocketState.Open)
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, null, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The connection is gone: the read ends too.
            connection.Close(discard: true);
            socket.Abort();
        }
    }
}
