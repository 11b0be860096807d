using StackExchange.Redis;

namespace LoadCluster.Web.Redis;

/// <summary>
/// Subscribes a channel of this replica's own, in order. StackExchange.Redis's reader writes each
/// message to the subscription's queue (a <see cref="ChannelMessageQueue"/>) in the order Redis sent
/// them, and one loop hands them to <c>received</c> one after another (a handler given to
/// <c>Subscribe</c> instead would run on the thread pool, in no order). That loop is the channel's
/// only reader: <c>received</c> must be quick. The queue outlives reconnects and failovers
/// (StackExchange.Redis subscribes it again on the new link by itself) and ends only when the
/// channel is unsubscribed. StackExchange.Redis does that only once a subscription has been made:
/// while Redis is away at start-up, this keeps trying, once a second.
/// </summary>
internal static class FirstSubscription
{
    /// <param name="notConnected">Told each time Redis was not connected yet (optional).</param>
    /// <param name="failed">Told why an attempt failed.</param>
    /// <returns>The subscription's queue, to unsubscribe.</returns>
    public static async Task<ChannelMessageQueue> SubscribeWhenConnectedAsync(this IConnectionMultiplexer redis, RedisChannel channel, Action<ChannelMessage> received,
        TimeProvider time, Action<string> failed, Action? notConnected, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                if (redis.IsConnected)
                {
                    var queue = await redis.GetSubscriber().SubscribeAsync(channel);
                    queue.OnMessage(received);
                    return queue;
                }
                notConnected?.Invoke();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                failed(e.Message);
                Forget(redis, channel);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }

    /// <summary>
    /// StackExchange.Redis registers the queue before it sends the SUBSCRIBE and keeps it when that
    /// fails: unread, it would hold every message from then on. The channel is its caller's alone,
    /// so unsubscribing it drops every queue it has.
    /// </summary>
    private static void Forget(IConnectionMultiplexer redis, RedisChannel channel)
    {
        try { redis.GetSubscriber().Unsubscribe(channel, handler: null, CommandFlags.FireAndForget); }
        catch (RedisException) { }
    }
}
