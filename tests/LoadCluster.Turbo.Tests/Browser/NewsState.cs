namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// Current state of the "news" stream: names the server that answered, so a test can see that a
/// page re-subscribing after a reconnect got the new server's state first.
/// </summary>
internal sealed class NewsState(NewsState.ServerName server) : ITurboStreamState
{
    public sealed record ServerName(string Value);

    public ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct) =>
        ValueTask.FromResult(streamName == "news"
            ? TurboStream.Update("news", $"<p id=\"news-state\">{server.Value}</p>").ToString()
            : null);
}
