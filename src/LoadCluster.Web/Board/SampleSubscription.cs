using LoadCluster.Samples;
using LoadCluster.Web.Redis;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Where samples enter the Web: the one subscription to every host's samples channel (PSUBSCRIBE
/// <c>{prefix}:samples:*</c>), each message tagged with the host its channel names and handed on in
/// the order Redis sent them (<see cref="FirstSubscription"/>). The callback only copies and hands
/// on: it is the subscription's one reader, so every message waits for the one before; parsing
/// waits for the relay's own loop.
/// </summary>
internal sealed class SampleSubscription(IConnectionMultiplexer redis, RedisNames names, TimeProvider time, ILogger<SampleSubscription> logger)
{
    private readonly RedisChannel _channel = RedisChannel.Pattern(RedisNames.SamplesPattern);
    private ChannelMessageQueue? _queue;

    /// <summary>Subscribes once Redis answers (retrying every second until then); each message goes to <paramref name="received"/>, in order.</summary>
    public async Task StartAsync(Action<ReceivedMessage> received, CancellationToken ct)
    {
        _queue = await redis.SubscribeWhenConnectedAsync(_channel,
            message => received(new ReceivedMessage((byte[]?)message.Message ?? [], time.GetUtcNow(), RedisNames.HostOfSamples(message.Channel))), time,
            failed: reason => WebLog.SubscribeFailed(logger, names.SamplesChannelPattern, reason),
            notConnected: () => WebLog.SubscribeFailed(logger, names.SamplesChannelPattern, "Redis is not connected"), ct);
        WebLog.Subscribed(logger, names.SamplesChannelPattern);
    }

    public void Stop()
    {
        try { _queue?.Unsubscribe(CommandFlags.FireAndForget); }
        catch (RedisException) { }
    }
}
