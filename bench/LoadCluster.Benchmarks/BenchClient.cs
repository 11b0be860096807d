using System.Net.WebSockets;
using System.Text;

namespace LoadCluster.Benchmarks;

/// <summary>
/// A lean SignalR JSON client for load: one reused buffer, no JSON DOM. It hands each record (the
/// bytes between 0x1E separators) to a callback and counts the bytes received, so the figures
/// measure the servers, not the client. Optionally subscribes to one signed Turbo stream.
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    /// <summary>Called with every record received, on the receive loop: keep it short.</summary>
    public delegate void RecordHandler(ReadOnlySpan<byte> record);

    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;
    private long _bytes;

    /// <summary>Bytes received on the WebSocket so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public void ResetBytes() => Interlocked.Exchange(ref _bytes, 0);

    public static async Task<BenchClient> ConnectAsync(Uri hub, RecordHandler onRecord, string? signedStream = null)
    {
        var client = new BenchClient();
        await client._socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws" }.Uri, CancellationToken.None);
        await client._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        if (signedStream is not null)
        {
            var subscribe = Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[\"{signedStream}\"]}}\u001e");
            await client._socket.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        client._loops = Task.WhenAll(Task.Run(() => client.ReceiveAsync(onRecord)), Task.Run(client.PingAsync));
        return client;
    }

    private async Task ReceiveAsync(RecordHandler onRecord)
    {
        // Records (ending in 0x1E) can span reads: keep the unfinished tail at the buffer's start.
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
                var span = buffer.AsSpan(0, filled);
                int end;
                while ((end = span.IndexOf((byte)0x1e)) >= 0)
                {
                    onRecord(span[..end]);
                    span = span[(end + 1)..];
                }
                span.CopyTo(buffer);
                filled = span.Length;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
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
