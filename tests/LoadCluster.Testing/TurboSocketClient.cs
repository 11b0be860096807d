using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace LoadCluster.Testing;

/// <summary>
/// A page's connection as Turbo's own <c>&lt;turbo-stream-source src="ws://…"&gt;</c> opens it: a
/// WebSocket to the stream endpoint that reads text messages. Every message is kept, in order, for
/// tests to wait for, count, or read element values out of. The way to check exactly: push a fence
/// after what is under test, then <see cref="ReadUntilAsync"/> it; a connection's messages arrive in order.
/// Each message keeps the time it arrived (<see cref="Messages"/>, on <see cref="Now"/>), and the
/// socket is never reopened: a test that wants no reconnect checks that it never closed.
/// </summary>
public sealed partial class TurboSocketClient : IAsyncDisposable
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<(string Markup, TimeSpan At)> _all = new();
    private readonly Task _receiving;

    private TurboSocketClient(ClientWebSocket socket, string label)
    {
        _socket = socket;
        Label = label;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Names the client in failure messages (e.g. the replica it is on).</summary>
    public string Label { get; }

    /// <summary>Every message not read yet through <see cref="NextAsync"/> or <see cref="ReadUntilAsync"/>.</summary>
    public ChannelReader<string> Received => _received.Reader;

    /// <summary>Every message received so far, in order (whatever was read).</summary>
    public IReadOnlyList<string> All => [.. _all.Select(m => m.Markup)];

    /// <summary>Every message received so far, in order, with its arrival time on <see cref="Now"/>.</summary>
    public IReadOnlyList<(string Markup, TimeSpan At)> Messages => [.. _all];

    /// <summary>A monotonic clock shared by every client, for arrival times.</summary>
    public static TimeSpan Now => Clock.Elapsed;

    /// <summary>Completes when the server closes the socket or it drops.</summary>
    public Task Closed => _receiving;

    /// <summary>The close status the server sent, once <see cref="Closed"/>.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>How and when it closed (for failure messages), or null while open.</summary>
    public string? ClosedHow { get; private set; }

    /// <param name="endpoint">The stream endpoint, e.g. <c>http://127.0.0.1:5000/turbo-stream</c> (http is made ws).</param>
    /// <param name="signedStream">A signed stream name, or null for a page's own connection.</param>
    /// <param name="configure">Request headers and the like (a test user, an Origin, a cookie).</param>
    public static async Task<TurboSocketClient> ConnectAsync(Uri endpoint, string? signedStream, Action<ClientWebSocketOptions>? configure = null, string label = "client")
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(SocketUri(endpoint, signedStream), CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TurboSocketClient(socket, label);
    }

    /// <summary>Opens a connection that the server must refuse; returns the HTTP status it answered.</summary>
    public static async Task<HttpStatusCode> RefusedAsync(Uri endpoint, string? signedStream, Action<ClientWebSocketOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(SocketUri(endpoint, signedStream), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        throw new InvalidOperationException($"{endpoint} accepted a connection that should have been refused");
    }

    /// <summary>The next message; fails when none comes within <paramref name="timeout"/>.</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"{Label}: no message within {timeout.TotalSeconds:0.#} s (socket {(Closed.IsCompleted ? $"closed, {CloseStatus}" : "open")})");
        }
    }

    /// <summary>Reads messages up to and including the first that <paramref name="isLast"/> picks; returns them all, in order.</summary>
    public async Task<List<string>> ReadUntilAsync(Func<string, bool> isLast, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(isLast);
        var read = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Label}: the awaited message did not come within {timeout.TotalSeconds:0.#} s; read [{string.Join(", ", read.Select(Shorten))}]");
            var message = await NextAsync(left);
            read.Add(message);
            if (isLast(message)) return read;
        }
    }

    /// <summary>
    /// A new connection's relay joins the server's bus (on a backplane: subscribes in Redis) just
    /// after the socket opens, and a stream without a state says nothing until then. Pushes a
    /// numbered probe with <paramref name="push"/> until every client has had one, then a last one
    /// that each reads up to: from then on each gets every push, and has nothing left to read.
    /// </summary>
    public static async Task SettleAsync(Func<string, Task> push, params TurboSocketClient[] clients)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(clients);
        var pending = clients.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var n = 0; pending.Count > 0; n++)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no probe reached {string.Join(", ", pending.Select(c => c.Label))} within 30 s");
            await push(Probe(n));
            foreach (var client in pending.ToList())
            {
                try
                {
                    await client.ReadUntilAsync(IsProbe, TimeSpan.FromMilliseconds(300));
                    pending.Remove(client);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        await push(Probe(-1));
        foreach (var client in clients) await client.ReadUntilAsync(m => m == Probe(-1), TimeSpan.FromSeconds(20));
    }

    /// <summary>A push that changes nothing on a page (a refresh Turbo ignores for its own request id).</summary>
    public static string Probe(int n) => $"<turbo-stream action=\"refresh\" request-id=\"probe-{n}\"></turbo-stream>";

    private static bool IsProbe(string message) => message.StartsWith("<turbo-stream action=\"refresh\" request-id=\"probe-", StringComparison.Ordinal);

    /// <summary>Every value of the element with this id, in the order the messages carried them.</summary>
    public List<string> ValuesOf(string elementId)
    {
        var pattern = new Regex($"id=\"{Regex.Escape(elementId)}\"[^>]*>([^<]*)<");
        return All.SelectMany(m => pattern.Matches(m).Select(x => x.Groups[1].Value)).ToList();
    }

    /// <summary>
    /// When the first message came that arrived after <paramref name="after"/> and shows a sample taken
    /// after <paramref name="takenAfterMs"/> (a board row's <c>data-ts</c>, Unix ms); null if none yet.
    /// </summary>
    public TimeSpan? FirstSampleAfter(TimeSpan after, long takenAfterMs) =>
        Messages.Where(m => m.At >= after && SampleTimes().Matches(m.Markup).Any(t => long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) > takenAfterMs))
            .Select(m => (TimeSpan?)m.At).FirstOrDefault();

    /// <summary>Waits until a message has given the element this value.</summary>
    public Task WaitForValueAsync(string elementId, string value, TimeSpan timeout) =>
        Wait.UntilAsync(() => ValuesOf(elementId).Contains(value), timeout,
            $"{Label}: #{elementId} reads '{value}' (socket {(Closed.IsCompleted ? "closed" : "open")}; seen [{string.Join(", ", ValuesOf(elementId))}])");

    /// <summary>Drops the connection without a close handshake, as a killed browser would.</summary>
    public void Abort() => _socket.Abort();

    private static Uri SocketUri(Uri endpoint, string? signedStream)
    {
        var uri = new UriBuilder(endpoint) { Scheme = endpoint.Scheme == "https" ? "wss" : endpoint.Scheme == "http" ? "ws" : endpoint.Scheme };
        if (signedStream is not null) uri.Query = "stream=" + Uri.EscapeDataString(signedStream);
        return uri.Uri;
    }

    private static string Shorten(string message) => message.Length > 80 ? message[..80] + "…" : message;

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedHow = $"closed by the server ({result.CloseStatus} {result.CloseStatusDescription}) at {Now.TotalSeconds:0.0} s";
                    // As a browser does: echo the server's close, so it ends the connection at once.
                    await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                _all.Enqueue((text, Now));
                _received.Writer.TryWrite(text);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            ClosedHow = $"dropped ({e.Message}) at {Now.TotalSeconds:0.0} s";
        }
        _received.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    [GeneratedRegex("data-ts=\"(\\d+)\"")]
    private static partial Regex SampleTimes();
}
