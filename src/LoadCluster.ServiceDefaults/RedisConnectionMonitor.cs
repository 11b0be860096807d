using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Logs a lost Redis connection once and its return once, however many reconnect attempts the
/// multiplexer makes in between (it raises ConnectionFailed per attempt and per connection type).
/// </summary>
internal sealed class RedisConnectionMonitor
{
    private readonly ILogger _logger;
    private int _down;

    public RedisConnectionMonitor(IConnectionMultiplexer redis, ILogger logger)
    {
        _logger = logger;
        redis.ConnectionFailed += OnFailed;
        redis.ConnectionRestored += OnRestored;
        if (!redis.IsConnected) OnDown(redis.GetEndPoints().FirstOrDefault()?.ToString() ?? "?", "not reachable at start-up");
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) =>
        OnDown(e.EndPoint?.ToString() ?? "?", $"{e.FailureType}: {e.Exception?.Message}");

    private void OnDown(string endpoint, string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0) Log.RedisConnectionLost(_logger, endpoint, reason);
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _down, 0) == 1) Log.RedisConnectionRestored(_logger, e.EndPoint?.ToString() ?? "?");
    }
}
