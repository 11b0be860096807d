using LoadCluster.Turbo;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Live;

/// <summary>
/// Makes each live stream's <see cref="PushGate"/>, with the limits every gate keeps, and is the
/// one place a push leaves this replica: to its own clients of the stream (no backplane: every
/// replica renders for its own clients), counted by stream kind.
/// </summary>
internal sealed class PushGates(ITurboPush push, WebMetrics metrics, IOptions<LoadBoardOptions> options, TimeProvider time, ILogger<PushGate> logger)
{
    public TimeSpan MinInterval { get; } = TimeSpan.FromSeconds(1.0 / options.Value.MaxPushesPerSecond);

    public int BytesPerSecond { get; } = options.Value.MaxBytesPerSecond;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <param name="stream">The stream's name.</param>
    /// <param name="kind">What kind of stream it is ("view", "host", "cluster"), for the metrics.</param>
    /// <param name="render">Renders one push within a byte budget; called one at a time.</param>
    /// <param name="failed">After a failed push what the clients hold is unknown: a stream that keeps a diff forgets it.</param>
    /// <param name="idle">Called instead of rendering when no client here listens any more.</param>
    public PushGate Open(string stream, string kind, Func<int, Task<PushResult>> render, Action? failed = null, Action? idle = null) =>
        new(this, stream, kind, render, failed, idle);

    public int Subscribers(string stream) => push.LocalSubscriberCount(stream);

    public async Task SendAsync(string stream, string kind, string markup)
    {
        var clients = push.LocalSubscriberCount(stream);
        await push.ToLocalSubscribersAsync(stream, markup);
        metrics.Pushed(kind, clients, markup.Length);
    }
}
