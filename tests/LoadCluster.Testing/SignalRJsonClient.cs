using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LoadCluster.Testing;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a raw WebSocket (the .NET
/// SignalR client is not in our package source). It connects without negotiation, as the
/// browser client does with skipNegotiation, answers pings, and collects every invocation the
/// server sends.
/// </summary>
/// <remarks>
/// Wire format: each message is a JSON object followed by the record separator 0x1E.
/// Types used here: 1 invocation, 3 completion, 6 ping, 7 close.
/// </remarks>
public sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Invocation> _received = Channel.CreateUnbounded<Invocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiveLoop;
    private Task? _pingLoop;
    private int _nextId;

    public sealed record Invocation(string Target, JsonArray Arguments);

    /// <summary>Every invocation received from the server, in order.</summary>
    public ChannelReader<Invocation> Received => _received.Reader;

    /// <summary>Completes when the server closes the connection or it drops.</summary>
    public Task Closed => _receiveLoop ?? Task.CompletedTask;

    public static async Task<SignalRJsonClient> ConnectAsync(Uri hubUrl, Action<ClientWebSocketOptions>? configure = null, CancellationToken ct = default)
    {
        var client = new SignalRJsonClient();
        configure?.Invoke(client._socket.Options);
        var wsUrl = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : hubUrl.Scheme == "http" ? "ws" : hubUrl.Scheme }.Uri;
        await client._socket.ConnectAsync(wsUrl, ct);
        await client.SendRawAsync("{\"protocol\":\"json\",\"version\":1}", ct);
        var handshake = await client.ReadMessageAsync(ct) ?? throw new InvalidOperationException("connection closed during handshake");
        // The handshake answer is a record ("{}" + 0x1E); messages may follow it in the same frame.
        var records = handshake.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);
        var node = records.Length > 0 ? JsonNode.Parse(records[0]) : null;
        if (node?["error"] is { } error) throw new InvalidOperationException($"handshake refused: {error}");
        foreach (var record in records.Skip(1)) client.Dispatch(JsonNode.Parse(record)!.AsObject());
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        client._pingLoop = Task.Run(client.PingLoopAsync);
        return client;
    }

    /// <summary>Invokes a hub method and waits for its completion; a hub error becomes an exception.</summary>
    public async Task<JsonNode?> InvokeAsync(string method, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextId).ToString();
        var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = id,
            ["target"] = method,
            ["arguments"] = JsonSerializer.SerializeToNode(args),
        };
        await SendRawAsync(message.ToJsonString(), _stop.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var _ = timeout.Token.Register(() => tcs.TrySetException(new TimeoutException($"no completion for {method} within 30 s")));
        return await tcs.Task;
    }

    /// <summary>Waits for the next invocation of the given client method.</summary>
    public async Task<Invocation> NextAsync(string target, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cts.Token);
                if (message.Target == target) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{target}' message within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>Drains everything received so far, waiting <paramref name="quiet"/> for stragglers.</summary>
    public async Task<List<Invocation>> DrainAsync(TimeSpan quiet)
    {
        var list = new List<Invocation>();
        while (true)
        {
            using var cts = new CancellationTokenSource(quiet);
            try { list.Add(await _received.Reader.ReadAsync(cts.Token)); }
            catch (OperationCanceledException) { return list; }
            catch (ChannelClosedException) { return list; }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var text = await ReadMessageAsync(_stop.Token);
                if (text is null) break;
                foreach (var record in text.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
                    Dispatch(JsonNode.Parse(record)!.AsObject());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException) { }
        finally
        {
            _received.Writer.TryComplete();
            foreach (var pending in _pending.Values) pending.TrySetException(new IOException("connection closed"));
        }
    }

    private void Dispatch(JsonObject message)
    {
        switch ((int?)message["type"])
        {
            case 1:
                _received.Writer.TryWrite(new Invocation((string)message["target"]!, message["arguments"]?.AsArray() ?? []));
                break;
            case 3 when message["invocationId"] is { } id && _pending.TryRemove((string)id!, out var tcs):
                if (message["error"] is { } error) tcs.TrySetException(new HubErrorException((string?)error ?? "hub error"));
                else tcs.TrySetResult(message["result"]);
                break;
            case 7:
                _stop.Cancel();
                break;
        }
    }

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendRawAsync("{\"type\":6}", _stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException) { }
    }

    private async Task SendRawAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _sendLock.WaitAsync(ct);
        try { await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct); }
        finally { _sendLock.Release(); }
    }

    private async Task<string?> ReadMessageAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var ms = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            ms.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
        }
    }

    /// <summary>Drops the connection without a close handshake, as a killed browser would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException) { }
        _socket.Dispose();
        if (_receiveLoop is not null) await _receiveLoop;
        if (_pingLoop is not null) await _pingLoop;
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>The server answered an invocation with an error.</summary>
public sealed class HubErrorException(string message) : Exception(message);
