using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace LoadCluster.Benchmarks;

/// <summary>
/// An overview page's socket for the fleet benchmark, as Turbo's element opens it: one signed stream,
/// one reused buffer, no DOM. It counts what arrives: messages, bytes on the wire, and for every row
/// in a message its sample-to-client delay (now minus the row's <c>data-ts</c>, the sample's time
/// on the simulator's clock, which is this machine's).
/// </summary>
internal sealed class BoardClient : IAsyncDisposable
{
    private static readonly byte[] Ts = Encoding.UTF8.GetBytes("data-ts=\"");
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _delays = [];
    private Task _receiving = Task.CompletedTask;
    private long _messages;
    private long _bytes;

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <param name="endpoint">The replica's stream endpoint, e.g. <c>http://127.0.0.1:5000/turbo-stream</c>.</param>
    public static async Task<BoardClient> ConnectAsync(Uri endpoint, string signedStream)
    {
        var board = new BoardClient();
        var uri = new UriBuilder(endpoint) { Scheme = "ws", Query = "stream=" + Uri.EscapeDataString(signedStream) }.Uri;
        await board._socket.ConnectAsync(uri, CancellationToken.None);
        board._receiving = Task.Run(board.ReceiveAsync);
        return board;
    }

    /// <summary>Forgets everything counted so far (the state sent first, the warm-up).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _messages, 0);
        Interlocked.Exchange(ref _bytes, 0);
        lock (_delays) _delays.Clear();
    }

    public long[] Delays()
    {
        lock (_delays) return [.. _delays];
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                Interlocked.Add(ref _bytes, result.Count);
                filled += result.Count;
                if (!result.EndOfMessage) continue;
                Count(buffer.AsSpan(0, filled));
                filled = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    private void Count(ReadOnlySpan<byte> message)
    {
        Interlocked.Increment(ref _messages);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int at;
        while ((at = message.IndexOf(Ts)) >= 0)
        {
            message = message[(at + Ts.Length)..];
            if (Utf8Parser.TryParse(message, out long ts, out _))
            {
                lock (_delays) _delays.Add(now - ts);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
    }
}
