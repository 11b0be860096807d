using LoadCluster.Samples;
using LoadCluster.Web.Redis;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Where samples enter the Web: the one subscription to every host's samples channel (PSUBSCRIBE
/// <c>{prefix}:samples:*</c>), each message tagged with the host its channel names. The Redis callback
/// only copies and hands on (StackExchange.Redis runs callbacks on its own threads, which must not
/// block, one message after another): parsing waits for the relay's own loop.
/// </summary>
internal sealed class SampleSubscription(IConnectionMultiplexer redis, RedisNames names, TimeProvider time, ILogger<SampleSubscription> logger)
{
    private readonly RedisChannel _channel = RedisChannel.Pattern(RedisNames.SamplesPattern);
    private Action<RedisChannel, RedisValue>? _handler;

    /// <summary>Subscribes once Redis answers (retrying every second until then); each message goes to <paramref name="received"/>.</summary>
    public async Task StartAsync(Action<ReceivedMessage> received, CancellationToken ct)
    {
        _handler = (channel, value) => received(new ReceivedMessage((byte[]?)value ?? [], time.GetUtcNow(), RedisNames.HostOfSamples(channel)));
        await redis.SubscribeWhenConnectedAsync(_channel, _handler, time,
            failed: reason => WebLog.SubscribeFailed(logger, names.SamplesChannelPattern, reason),
            notConnected: () => WebLog.SubscribeFailed(logger, names.SamplesChannelPattern, "Redis is not connected"), ct);
        WebLog.Subscribed(logger, names.SamplesChannelPattern);
    }

    public void Stop()
    {
        if (_handler is null) return;
        try { redis.GetSubscriber().Unsubscribe(_channel, _handler, CommandFlags.FireAndForget); }
        catch (RedisException) { }
    }
}
