using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Logs a lost Redis connection once and its return once, however many reconnect attempts the
/// multiplexer makes in between (it raises ConnectionFailed per attempt and per connection type).
/// </summary>
internal sealed class RedisConnectionLog(IConnectionMultiplexer redis, ILogger<RedisConnectionLog> logger) : IHostedService
{
    private int _down;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += OnFailed;
        redis.ConnectionRestored += OnRestored;
        if (!redis.IsConnected) OnDown(redis.GetEndPoints().FirstOrDefault()?.ToString() ?? "?", "not reachable at start-up");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnFailed;
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) =>
        OnDown(e.EndPoint?.ToString() ?? "?", $"{e.FailureType}: {e.Exception?.Message}");

    private void OnDown(string endpoint, string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0) Log.RedisConnectionLost(logger, endpoint, reason);
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Restored fires per connection (interactive and subscription): log once, when all are back.
        if (redis.IsConnected && Interlocked.Exchange(ref _down, 0) == 1) Log.RedisConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
    }
}
