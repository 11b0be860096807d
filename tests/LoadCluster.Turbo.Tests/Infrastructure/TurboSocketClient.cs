using System.Net.WebSockets;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>A client of the socket endpoint as Turbo's element is one (a <see cref="PageSocket"/>), read one message at a time.</summary>
internal sealed class TurboSocketClient(PageSocket socket) : IAsyncDisposable
{
    private int _read;

    public static async Task<TurboSocketClient> ConnectAsync(Uri baseUri, string signedStream, string? user = null, string? origin = null) =>
        new(await PageSocket.ConnectAsync(baseUri, signedStream, "socket", options => TurboTestApp.ConfigureSocket(options, user, origin)));

    public static async Task<System.Net.HttpStatusCode> RefusedAsync(Uri baseUri, string signedStream, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        TurboTestApp.ConfigureSocket(socket.Options, null, origin);
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/turbo-stream/socket?stream={Uri.EscapeDataString(signedStream)}"), CancellationToken.None));
        return socket.HttpStatusCode;
    }

    /// <summary>The next text message, or null when none comes within <paramref name="wait"/> (or the socket closed).</summary>
    public async Task<string?> NextAsync(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var messages = socket.Messages;
            if (_read < messages.Count) return messages[_read++].Markup;
            if (socket.Closed || DateTime.UtcNow >= deadline) return null;
            await Task.Delay(10);
        }
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
