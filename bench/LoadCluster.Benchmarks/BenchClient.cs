using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace LoadCluster.Benchmarks;

/// <summary>
/// A lean SignalR JSON client for load: one reused buffer, no JSON DOM. It only understands the
/// benchmark's invocation (<c>"arguments":[ticks]</c>), so the figures measure the servers, not the client.
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] ArgumentsMarker = Encoding.UTF8.GetBytes("\"arguments\":[");
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    public static async Task<BenchClient> ConnectAsync(Uri hub, Action<long> onTicks)
    {
        var client = new BenchClient();
        await client._socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws" }.Uri, CancellationToken.None);
        await client._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        client._loops = Task.WhenAll(Task.Run(() => client.ReceiveAsync(onTicks)), Task.Run(client.PingAsync));
        return client;
    }

    private async Task ReceiveAsync(Action<long> onTicks)
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
                filled += result.Count;
                var span = buffer.AsSpan(0, filled);
                int end;
                while ((end = span.IndexOf((byte)0x1e)) >= 0)
                {
                    var record = span[..end];
                    var at = record.IndexOf(ArgumentsMarker);
                    if (at >= 0 && Utf8Parser.TryParse(record[(at + ArgumentsMarker.Length)..], out long ticks, out _)) onTicks(ticks);
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
