using System.Threading.Channels;
using LoadCluster.Samples;
using LoadCluster.Web.Board;
using LoadCluster.Web.Redis;
using StackExchange.Redis;

namespace LoadCluster.Web.Relay;

/// <summary>
/// Subscribes to every host's samples channel (PSUBSCRIBE <c>{prefix}:samples:*</c>) and relays each
/// sample to this replica's clients. A host may only report itself: a sample whose <c>host</c> is not
/// its channel's is dropped, counted and logged (once per channel), never shown. The Redis
/// callback only copies and enqueues (StackExchange.Redis runs callbacks on its own threads, which
/// must not block, one message after another); one consumer parses, applies samples in order and tells the coalesced streams
/// (<see cref="PushScheduler"/>), which render once per push, not per sample. A bad
/// message is logged and dropped, a failure on one sample is logged, and the loop never stops.
/// </summary>
internal sealed class SampleRelay : BackgroundService
{
    /// <summary>
    /// Room for 6 s of 5,000 hosts at 1 Hz (at most about 16 MB of queued JSON): applying a sample
    /// takes microseconds, so it fills only when the relay is starved of CPU, as on a loaded machine.
    /// </summary>
    public const int QueueLength = 32768;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly HostBoard _board;
    private readonly PushScheduler _pushes;
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

    public SampleRelay(IConnectionMultiplexer redis, RedisNames names, HostBoard board, PushScheduler pushes, SampleFeed feed,
        HostsIndex index, WebMetrics metrics, TimeProvider time, ILogger<SampleRelay> logger)
    {
        _redis = redis;
        _channel = RedisChannel.Pattern(RedisNames.SamplesPattern);
        _channelName = names.SamplesChannelPattern;
        _index = index;
        _board = board;
        _pushes = pushes;
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
        var subscriber = _redis.GetSubscriber();
        await _redis.SubscribeWhenConnectedAsync(_channel, OnMessage, _time,
            failed: reason => RelayLog.SubscribeFailed(_logger, _channelName, reason),
            notConnected: () => RelayLog.SubscribeFailed(_logger, _channelName, "Redis is not connected"), stoppingToken);
        RelayLog.Subscribed(_logger, _channelName);
        try
        {
            var changed = new HashSet<string>(StringComparer.Ordinal);
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Apply all that is queued, then tell the streams once: a push renders what changed
                // by then, never once per sample.
                while (changed.Count < QueueLength && _queue.Reader.TryRead(out var item))
                {
                    if (Parse(item.Json) is not { } sample || !FromItsOwnChannel(sample, item.ChannelHost)) continue;
                    try
                    {
                        if (Apply(sample, item.ReceivedAt)) changed.Add(sample.Host);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        RelayLog.RelayFailed(_logger, sample.Host, e);
                    }
                }
                if (changed.Count == 0) continue;
                _pushes.HostsChanged(changed);
                changed.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            try { subscriber.Unsubscribe(_channel, OnMessage, CommandFlags.FireAndForget); }
            catch (RedisException) { }
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        byte[]? bytes = value;
        _queue.Writer.TryWrite(new ReceivedMessage(bytes ?? [], _time.GetUtcNow(), RedisNames.HostOfSamples(channel)));
    }

    private bool FromItsOwnChannel(Sample sample, string? channelHost)
    {
        if (sample.Host == channelHost) return true;
        _metrics.Impostor();
        var count = Interlocked.Increment(ref _impostors);
        var channel = channelHost ?? "?";
        if (_impostorChannels.Count < QueueLength && _impostorChannels.Add(channel)) RelayLog.Impostor(_logger, sample.Host, channel, count);
        return false;
    }

    private Sample? Parse(byte[] json)
    {
        if (SampleJson.TryParse(json, out var sample, out var error)) return sample;
        _metrics.Malformed();
        RelayLog.Malformed(_logger, Interlocked.Increment(ref _malformed), error);
        return null;
    }

    private void OnDropped()
    {
        _metrics.Dropped();
        var count = Interlocked.Increment(ref _dropped);
        if (count == 1 || count % 1000 == 0) RelayLog.Dropped(_logger, count);
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
