using LoadCluster.Samples;
using LoadCluster.Web.Redis;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Where samples enter the Web: the one subscription to the samples channel. The Redis callback
/// only copies and hands on (StackExchange.Redis runs callbacks on its own threads, which must not
/// block, one message after another): parsing waits for the relay's own loop.
/// </summary>
internal sealed class SampleSubscription(IConnectionMultiplexer redis, RedisNames names, TimeProvider time, ILogger<SampleSubscription> logger)
{
    private readonly RedisChannel _channel = RedisChannel.Literal(RedisNames.Samples);
    private Action<RedisChannel, RedisValue>? _handler;

    /// <summary>Subscribes once Redis answers (retrying every second until then); each message goes to <paramref name="received"/>.</summary>
    public async Task StartAsync(Action<ReceivedMessage> received, CancellationToken ct)
    {
        _handler = (_, value) => received(new ReceivedMessage((byte[]?)value ?? [], time.GetUtcNow()));
        await redis.SubscribeWhenConnectedAsync(_channel, _handler, time,
            failed: reason => WebLog.SubscribeFailed(logger, names.SamplesChannel, reason),
            notConnected: () => WebLog.SubscribeFailed(logger, names.SamplesChannel, "Redis is not connected"), ct);
        WebLog.Subscribed(logger, names.SamplesChannel);
    }

    public void Stop()
    {
        if (_handler is null) return;
        try { redis.GetSubscriber().Unsubscribe(_channel, _handler, CommandFlags.FireAndForget); }
        catch (RedisException) { }
    }
}
