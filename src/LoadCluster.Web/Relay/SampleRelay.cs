using System.Threading.Channels;
using LoadCluster.Samples;
using LoadCluster.Web.Board;
using StackExchange.Redis;

namespace LoadCluster.Web.Relay;

/// <summary>
/// Subscribes to the samples channel and relays each sample to this replica's clients. The Redis
/// callback only parses and enqueues (StackExchange.Redis 1.x runs callbacks on its own threads,
/// which must not block); one consumer applies samples in order, renders once and pushes. A bad
/// message is logged and dropped, a failure on one sample is logged, and the loop never stops.
/// </summary>
internal sealed class SampleRelay : BackgroundService
{
    public const int QueueLength = 1024;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly HostBoard _board;
    private readonly HostPusher _pusher;
    private readonly SampleFeed _feed;
    private readonly WebMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SampleRelay> _logger;
    private readonly Channel<ReceivedSample> _queue;
    private long _malformed;
    private long _dropped;

    public SampleRelay(IConnectionMultiplexer redis, RedisNames names, HostBoard board, HostPusher pusher, SampleFeed feed,
        WebMetrics metrics, TimeProvider time, ILogger<SampleRelay> logger)
    {
        _redis = redis;
        _channel = RedisChannel.Literal(RedisNames.Samples);
        _channelName = names.SamplesChannel;
        _board = board;
        _pusher = pusher;
        _feed = feed;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        // Drop-oldest: under overload the newest sample is the one worth showing.
        _queue = Channel.CreateBounded<ReceivedSample>(
            new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => OnDropped());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = _redis.GetSubscriber();
        await SubscribeAsync(subscriber, stoppingToken);
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await RelayAsync(item, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    RelayLog.RelayFailed(_logger, item.Sample.Host, e);
                }
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

    // StackExchange.Redis re-subscribes by itself after a reconnect, but only once a subscription
    // has been made: while Redis is down at start-up, keep trying.
    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                if (_redis.IsConnected)
                {
                    await subscriber.SubscribeAsync(_channel, OnMessage);
                    RelayLog.Subscribed(_logger, _channelName);
                    return;
                }
                RelayLog.SubscribeFailed(_logger, _channelName, "Redis is not connected");
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                RelayLog.SubscribeFailed(_logger, _channelName, e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        byte[]? bytes = value;
        if (!SampleJson.TryParse(bytes, out var sample, out var error))
        {
            _metrics.Malformed();
            RelayLog.Malformed(_logger, Interlocked.Increment(ref _malformed), error);
            return;
        }
        _queue.Writer.TryWrite(new ReceivedSample(sample, _time.GetUtcNow()));
    }

    private void OnDropped()
    {
        _metrics.Dropped();
        var count = Interlocked.Increment(ref _dropped);
        if (count == 1 || count % 1000 == 0) RelayLog.Dropped(_logger, count);
    }

    private async Task RelayAsync(ReceivedSample item, CancellationToken ct)
    {
        var sample = item.Sample;
        var result = _board.Apply(sample, item.ReceivedAt);
        _metrics.Relayed();
        _feed.Publish(sample);
        if (result == ApplyResult.Ignored) return;
        await _pusher.PushAsync([sample.Host], listChanged: result == ApplyResult.NewHost, ct);
        _metrics.Lag(_time.GetUtcNow() - sample.Time);
    }
}
