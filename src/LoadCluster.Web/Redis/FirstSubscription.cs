using StackExchange.Redis;

namespace LoadCluster.Web.Redis;

/// <summary>
/// StackExchange.Redis re-subscribes by itself after a reconnect, but only once a subscription has
/// been made: while Redis is away at start-up, this keeps trying, once a second.
/// </summary>
internal static class FirstSubscription
{
    /// <param name="notConnected">Told each time Redis was not connected yet (optional).</param>
    /// <param name="failed">Told why an attempt failed.</param>
    public static async Task SubscribeWhenConnectedAsync(this IConnectionMultiplexer redis, RedisChannel channel, Action<RedisChannel, RedisValue> handler,
        TimeProvider time, Action<string> failed, Action? notConnected, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                if (redis.IsConnected)
                {
                    await redis.GetSubscriber().SubscribeAsync(channel, handler);
                    return;
                }
                notConnected?.Invoke();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                failed(e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
        }
    }
}
