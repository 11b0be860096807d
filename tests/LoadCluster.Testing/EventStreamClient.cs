using System.Net;
using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace LoadCluster.Testing;

/// <summary>
/// A Server-Sent Events response read as a browser's EventSource reads it (with .NET's own parser):
/// message events' data, in order, for tests to wait for; the events without data the server sends
/// (<c>connected</c>, <c>heartbeat</c>) are counted by type.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly Dictionary<string, int> _signals = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private EventStreamClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>The data of each message event not read yet.</summary>
    public ChannelReader<string> Received => _messages.Reader;

    /// <summary>Completes when the response ends (the server closed it, or it dropped).</summary>
    public Task Closed => _reading;

    /// <summary>Opens <paramref name="url"/> with <paramref name="http"/> and starts reading once headers arrive (any status).</summary>
    public static async Task<EventStreamClient> OpenAsync(HttpClient http, string url, Action<HttpRequestMessage>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        configure?.Invoke(request);
        return new EventStreamClient(await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead));
    }

    /// <summary>How many events without data of this type (<c>connected</c>, <c>heartbeat</c>) have come.</summary>
    public int Count(string eventType)
    {
        lock (_signals) return _signals.GetValueOrDefault(eventType);
    }

    /// <summary>Waits for the server's <c>connected</c> event: from then on the connection gets pushes.</summary>
    public Task ConnectedAsync(TimeSpan timeout) => _connected.Task.WaitAsync(timeout);

    /// <summary>The next message's data; fails when none comes within <paramref name="timeout"/>.</summary>
    public async Task<string> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no event stream message within {timeout.TotalSeconds:0.#} s (response {(Closed.IsCompleted ? "ended" : "open")})");
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            if (!_response.IsSuccessStatusCode) return;
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            {
                if (item.Data.Length > 0 && item.EventType == SseParser.EventTypeDefault)
                {
                    _messages.Writer.TryWrite(item.Data);
                    continue;
                }
                lock (_signals) _signals[item.EventType] = _signals.GetValueOrDefault(item.EventType) + 1;
                if (item.EventType == "connected") _connected.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
            _connected.TrySetException(new IOException("the event stream ended before it was connected"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
