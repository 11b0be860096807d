using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LoadCluster.Testing;

/// <summary>Keeps every "turbo-stream" message one SignalR client receives, and reads element values out of them.</summary>
public sealed class StreamRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly Task _loop;

    /// <param name="label">Names the client in failure messages (e.g. the replica it is on).</param>
    public StreamRecorder(SignalRJsonClient client, string label = "client")
    {
        Client = client;
        Label = label;
        _loop = Task.Run(async () =>
        {
            await foreach (var message in client.Received.ReadAllAsync())
            {
                if (message.Target == "turbo-stream" && message.Arguments.Count > 0)
                    _messages.Enqueue((string?)message.Arguments[0] ?? "");
            }
        });
    }

    public SignalRJsonClient Client { get; }

    public string Label { get; }

    public int Count => _messages.Count;

    /// <summary>True once the connection dropped.</summary>
    public bool Closed => _loop.IsCompleted;

    /// <summary>Every value of the element with this id, in the order the messages carried them.</summary>
    public List<string> ValuesOf(string elementId)
    {
        var pattern = new Regex($"id=\"{Regex.Escape(elementId)}\"[^>]*>([^<]*)<");
        return _messages.SelectMany(m => pattern.Matches(m).Select(x => x.Groups[1].Value)).ToList();
    }

    public async Task WaitForValueAsync(string elementId, string value, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ValuesOf(elementId).Contains(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Label}: #{elementId} never read '{value}' within {timeout.TotalSeconds} s (connection {(Closed ? "closed" : "open")}); seen: [{string.Join(", ", ValuesOf(elementId))}]");
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
