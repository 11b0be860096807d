using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace LoadCluster.Benchmarks;

/// <summary>
/// An overview client for the fleet benchmark: subscribes to one signed stream over the SignalR
/// JSON protocol and counts what arrives: messages, bytes on the wire, and for every row in a
/// message its sample-to-client delay (now minus the row's <c>data-ts</c>, the sample's time on
/// the simulator's clock, which is this machine's).
/// </summary>
internal sealed class BoardClient : IAsyncDisposable
{
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] Invocation = Encoding.UTF8.GetBytes("\"target\":\"turbo-stream\"");
    private static readonly byte[] Ts = Encoding.UTF8.GetBytes("data-ts=");
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _delays = [];
    private Task _loops = Task.CompletedTask;
    private long _messages;
    private long _bytes;

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<BoardClient> ConnectAsync(Uri hub, string signedStream)
    {
        var client = new BoardClient();
        await client._socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws" }.Uri, CancellationToken.None);
        await client._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        var subscribe = Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[\"{signedStream}\"]}}\u001e");
        await client._socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        client._loops = Task.WhenAll(Task.Run(client.ReceiveAsync), Task.Run(client.PingAsync));
        return client;
    }

    /// <summary>Forgets everything counted so far (the subscribe-time state, the warm-up).</summary>
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
        var buffer = new byte[256 * 1024];
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
                var span = buffer.AsSpan(0, filled);
                int end;
                while ((end = span.IndexOf((byte)0x1e)) >= 0)
                {
                    Count(span[..end]);
                    span = span[(end + 1)..];
                }
                span.CopyTo(buffer);
                filled = span.Length;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    private void Count(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf(Invocation) < 0) return;
        Interlocked.Increment(ref _messages);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int at;
        while ((at = record.IndexOf(Ts)) >= 0)
        {
            record = record[(at + Ts.Length)..];
            // data-ts=\"123\" inside a JSON string: skip the escaped quote.
            var digits = record.IndexOfAnyInRange((byte)'0', (byte)'9');
            if (digits is < 0 or > 3) continue;
            if (Utf8Parser.TryParse(record[digits..], out long ts, out _))
            {
                lock (_delays) _delays.Add(now - ts);
            }
        }
    }

    private async Task PingAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, _stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _loops;
        _socket.Dispose();
        _stop.Dispose();
    }
}
