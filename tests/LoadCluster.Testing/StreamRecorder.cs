using System.Collections.Concurrent;

namespace LoadCluster.Testing;

/// <summary>Keeps every "turbo-stream" message one SignalR client receives, and reads element values out of them.</summary>
public sealed class StreamRecorder : IStreamClient
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

    public IReadOnlyList<string> Received => [.. _messages];

    /// <summary>True once the connection dropped.</summary>
    public bool Closed => _loop.IsCompleted;

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
