using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Logs a lost Redis connection once and its return once, however many reconnect attempts the
/// multiplexer makes in between (it raises ConnectionFailed per attempt and per connection type);
/// and why Redis refuses the service, when that can be told (<see cref="RedisConnectionHints"/>), once per cause.
/// </summary>
internal sealed class RedisConnectionLog(IConnectionMultiplexer redis, RedisConnectionHints hints, ILogger<RedisConnectionLog> logger) : IHostedService
{
    private int _down;
    private string? _lastHint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += OnFailed;
        redis.ConnectionRestored += OnRestored;
        if (!redis.IsConnected) OnDown(Endpoint(), "not reachable at start-up");
        return Task.CompletedTask;
    }

    private string Endpoint() => redis.GetEndPoints().FirstOrDefault()?.ToString() ?? "?";

    private void Hint(string endpoint, string? hint)
    {
        if (hint is null || redis.IsConnected || Interlocked.Exchange(ref _lastHint, hint) == hint) return;
        Log.RedisRefused(logger, endpoint, hint);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnFailed;
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e)
    {
        OnDown(e.EndPoint?.ToString() ?? "?", $"{e.FailureType}: {e.Exception?.Message}");
        Hint(e.EndPoint?.ToString() ?? "?", hints.Explain(e.Exception));
    }

    private void OnDown(string endpoint, string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) != 0) return;
        Log.RedisConnectionLost(logger, endpoint, reason);
        // Reconnect attempts raise no event while they fail (a revoked user's WRONGPASS, a TLS
        // mismatch): if Redis is still away shortly, one probe of our own says why.
        _ = Task.Run(async () =>
        {
            await Task.Delay(ProbeAfter).ConfigureAwait(false);
            if (!redis.IsConnected) Hint(endpoint, await hints.ProbeAsync().ConfigureAwait(false));
        }, CancellationToken.None);
    }

    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(2);

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Restored fires per connection (interactive and subscription): log once, when all are back.
        if (!redis.IsConnected || Interlocked.Exchange(ref _down, 0) != 1) return;
        _lastHint = null;
        Log.RedisConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
    }
}
