using System.Net.WebSockets;
using System.Text;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>A client of the socket endpoint as Turbo's element is one: it opens the socket and reads text messages.</summary>
internal sealed class TurboSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly System.Threading.Channels.Channel<string> _messages = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private Task? _receiving;

    public static async Task<TurboSocketClient> ConnectAsync(Uri baseUri, string signedStream, string? user = null, string? origin = null)
    {
        var client = new TurboSocketClient();
        TurboTestApp.ConfigureSocket(client._socket.Options, user, origin);
        client._socket.Options.CollectHttpResponseDetails = true;
        await client._socket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/turbo-stream/socket?stream={Uri.EscapeDataString(signedStream)}"), CancellationToken.None);
        return client;
    }

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
        // One receive loop: cancelling a receive would abort the socket.
        _receiving ??= Task.Run(ReceiveAsync);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.ToArray()));
                message.SetLength(0);
            }
        }
        catch (WebSocketException)
        {
        }
        _messages.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token); } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        if (_receiving is not null) await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }
}
