using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;

namespace LoadCluster.Testing;

/// <summary>
/// The socket a page's <c>&lt;turbo-stream-source&gt;</c> opens (<c>/turbo-stream/socket?stream=…</c>),
/// opened as the element opens it and never reopened: a test that wants no reconnect checks that
/// it never closed. Every text message is kept with the time it arrived.
/// </summary>
public sealed partial class PageSocket : IStreamClient
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentQueue<(string Markup, TimeSpan At)> _messages = new();
    private Task _receiving = Task.CompletedTask;

    private PageSocket(string label) => Label = label;

    public string Label { get; }

    /// <summary>A monotonic clock shared by every socket, for arrival times.</summary>
    public static TimeSpan Now => Clock.Elapsed;

    /// <summary>Every message so far, in order, with its arrival time on <see cref="Now"/>.</summary>
    public IReadOnlyList<(string Markup, TimeSpan At)> Messages => [.. _messages];

    public IReadOnlyList<string> Received => [.. _messages.Select(m => m.Markup)];

    /// <summary>True once the socket closed or dropped.</summary>
    public bool Closed => _receiving.IsCompleted;

    /// <summary>How and when it closed (for failure messages), or null while open.</summary>
    public string? ClosedHow { get; private set; }

    /// <summary>
    /// When the first message that arrived after <paramref name="after"/> and shows a sample taken
    /// after <paramref name="takenAfterMs"/> (a board row's <c>data-ts</c>, Unix ms) came; null if none yet.
    /// </summary>
    public TimeSpan? FirstSampleAfter(TimeSpan after, long takenAfterMs) =>
        Messages.Where(m => m.At >= after && SampleTimes().Matches(m.Markup).Any(t => long.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) > takenAfterMs))
            .Select(m => (TimeSpan?)m.At).FirstOrDefault();

    /// <summary>Opens the socket of the stream <paramref name="signedStream"/> at the server of <paramref name="page"/>.</summary>
    /// <param name="configure">WebSocket options, e.g. request headers (Origin, a test user).</param>
    public static async Task<PageSocket> ConnectAsync(Uri page, string signedStream, string label, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new PageSocket(label);
        configure?.Invoke(socket._socket.Options);
        var scheme = page.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        await socket._socket.ConnectAsync(new Uri($"{scheme}://{page.Authority}/turbo-stream/socket?stream={Uri.EscapeDataString(signedStream)}"), CancellationToken.None);
        socket._receiving = Task.Run(socket.ReceiveAsync);
        return socket;
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
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedHow = $"closed by the server ({result.CloseStatus} {result.CloseStatusDescription}) at {Now.TotalSeconds:0.0} s";
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                _messages.Enqueue((Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), Now));
                message.SetLength(0);
            }
        }
        catch (WebSocketException e)
        {
            ClosedHow = $"dropped ({e.Message}) at {Now.TotalSeconds:0.0} s";
        }
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
