using System.Diagnostics;
using System.Threading.Channels;
using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;

namespace LoadCluster.Web.Board;

/// <summary>
/// Applies every sample from the <see cref="SampleSubscription"/> to this replica's board in the order
/// Redis sent them, on one loop: all that is queued, then one announcement of the hosts that changed (the live
/// streams render once per push, never once per sample). A host may only report itself: a sample
/// whose <c>host</c> is not its channel's is dropped, counted and logged (once per channel), never
/// shown. Each sample applied also goes to the <see cref="SampleFeed"/> and the <see cref="HostsIndex"/>.
/// A bad message is logged and dropped, a failure on one sample is logged, and the loop never stops.
/// Each batch is one span, "relay batch" (routine: sampled); a sample that carries its trace gets a
/// span of its own in that trace, "relay sample" (<see cref="WebTracing.StartJourney"/>).
/// </summary>
internal sealed class SampleRelay : BackgroundService
{
    /// <summary>
    /// Room for 6 s of 5,000 hosts at 1 Hz (at most about 16 MB of queued JSON): applying a sample
    /// takes microseconds, so it fills only when the relay is starved of CPU, as on a loaded machine.
    /// </summary>
    public const int QueueLength = 32768;

    /// <summary>
    /// Samples applied before the hosts they changed are announced. In steady state a batch is what
    /// queued while the last one ran (a few); a relay that is behind, as while its replica starts, would
    /// otherwise apply its whole backlog first, and its pages would stand still until it caught up.
    /// </summary>
    public const int BatchLimit = 1000;

    private readonly SampleSubscription _subscription;
    private readonly HostBoard _board;
    private readonly SampleFeed _feed;
    private readonly HostsIndex _index;
    private readonly WebMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SampleRelay> _logger;
    private readonly Channel<ReceivedMessage> _queue;
    private long _malformed;
    private long _dropped;
    private long _impostors;
    private readonly HashSet<string> _impostorChannels = new(StringComparer.Ordinal);

    public SampleRelay(SampleSubscription subscription, HostBoard board, SampleFeed feed, HostsIndex index, WebMetrics metrics, TimeProvider time,
        ILogger<SampleRelay> logger)
    {
        _subscription = subscription;
        _index = index;
        _board = board;
        _feed = feed;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        // Drop-oldest: under overload the newest sample is the one worth showing.
        _queue = Channel.CreateBounded<ReceivedMessage>(
            new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => OnDropped());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _subscription.StartAsync(message => _queue.Writer.TryWrite(message), stoppingToken);
            var changed = new HashSet<string>(StringComparer.Ordinal);
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                using var span = WebTracing.Source.StartRoutine("relay batch");
                var read = 0;
                Activity? journey = null;
                // A sample that carries its trace ends the batch: its span covers its announcement.
                while (journey is null && read < BatchLimit && _queue.Reader.TryRead(out var item))
                {
                    read++;
                    if (Parse(item.Json) is not { } sample || !FromItsOwnChannel(sample, item.ChannelHost)) continue;
                    journey = WebTracing.StartJourney(sample, item.ReceivedAt);
                    try
                    {
                        if (Apply(sample, item.ReceivedAt)) changed.Add(sample.Host);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        WebLog.RelayFailed(_logger, sample.Host, e);
                    }
                }
                // Announced under the journey's span, if any: the pushes it starts are its children (see the push gate).
                _board.Announce(changed);
                journey?.Dispose();
                span?.SetTag("loadcluster.samples", read).SetTag("loadcluster.hosts", changed.Count);
                changed.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _subscription.Stop();
        }
    }

    private bool FromItsOwnChannel(Sample sample, string? channelHost)
    {
        if (sample.Host == channelHost) return true;
        _metrics.Dropped(WebMetrics.Impostor);
        var count = Interlocked.Increment(ref _impostors);
        var channel = channelHost ?? "?";
        if (_impostorChannels.Count < QueueLength && _impostorChannels.Add(channel)) WebLog.Impostor(_logger, sample.Host, channel, count);
        return false;
    }

    private Sample? Parse(byte[] json)
    {
        if (SampleJson.TryParse(json, out var sample, out var error)) return sample;
        _metrics.Dropped(WebMetrics.Malformed);
        WebLog.Malformed(_logger, Interlocked.Increment(ref _malformed), error);
        return null;
    }

    private void OnDropped()
    {
        _metrics.Dropped(WebMetrics.Overflow);
        var count = Interlocked.Increment(ref _dropped);
        if (count == 1 || count % 1000 == 0) WebLog.Dropped(_logger, count);
    }

    private bool Apply(Sample sample, DateTimeOffset receivedAt)
    {
        var result = _board.Apply(sample, receivedAt);
        _index.Heard(sample.Host, receivedAt);
        _metrics.Relayed();
        _feed.Publish(sample);
        _metrics.Lag(_time.GetUtcNow() - sample.Time);
        return result != ApplyResult.Ignored;
    }
}
