using LoadCluster.Turbo;

namespace LoadCluster.Web.Live;

/// <summary>
/// The current state of each board stream, sent to a client first when it subscribes (and after a
/// reconnect), so a page never misses samples between its render and its subscription.
/// </summary>
internal sealed class LiveStreamState(LiveStreams streams) : ITurboStreamState
{
    public async ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct) => await streams.StateAsync(streamName);
}
