using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Web.Redis;

/// <summary>
/// Tells a Redis subscription link that is up but delivers nothing (the official backplane and
/// the relay would both go deaf on it without an error). Every <see cref="Interval"/> the replica
/// publishes a probe to itself and PINGs over the subscription connection. Health check
/// "redis-subscription" is unhealthy while probes do not come back. The PING is also the repair:
/// StackExchange.Redis replaces a connection on which a command timed out and nothing was read for
/// four timeouts, and a subscription connection that only listens never sends a command that
/// could time out. The replaced connection subscribes every channel again.
/// </summary>
internal sealed partial class SubscriptionProbe(IConnectionMultiplexer redis, IOptions<LoadBoardOptions> options,
    TimeProvider time, ILogger<SubscriptionProbe> logger) : BackgroundService, IHealthCheck
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Probes missed in a row before the link counts as silent.</summary>
    private const int Missed = 3;

    private readonly RedisChannel _channel = RedisChannel.Literal(RedisNames.Probe(options.Value.ReplicaId));
    private long _lastHeardTicks = time.GetTimestamp();
    private volatile bool _subscribed;
    private volatile bool _silent;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(SilentFor() is { } silence
            ? HealthCheckResult.Unhealthy($"No probe came back over the Redis subscription link for {silence.TotalSeconds:0} s: pushes and samples are not arriving; the link is being replaced.")
            : HealthCheckResult.Healthy(_subscribed ? "Probes come back over the Redis subscription link." : "Waiting for Redis."));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            await redis.SubscribeWhenConnectedAsync(_channel, _ => Heard(), time, failed: reason => LogProbeFailed(logger, reason), notConnected: null, stoppingToken);
            Interlocked.Exchange(ref _lastHeardTicks, time.GetTimestamp());
            _subscribed = true;
            do await ProbeAsync();
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync()
    {
        if (!redis.IsConnected)
        {
            // Redis being away is the Redis health check's to report; the link starts afresh.
            Interlocked.Exchange(ref _lastHeardTicks, time.GetTimestamp());
            return;
        }
        using var span = WebTracing.Source.StartRoutine("subscription probe");
        try
        {
            var subscriber = redis.GetSubscriber();
            await subscriber.PublishAsync(_channel, time.GetUtcNow().ToUnixTimeMilliseconds());
            _ = subscriber.PingAsync().ContinueWith(static ping => _ = ping.Exception, TaskScheduler.Default);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogProbeFailed(logger, e.Message);
        }
        if (SilentFor() is { } silence && !_silent)
        {
            _silent = true;
            LogSilent(logger, silence.TotalSeconds);
        }
    }

    private TimeSpan? SilentFor()
    {
        var silence = time.GetElapsedTime(Interlocked.Read(ref _lastHeardTicks));
        return _subscribed && redis.IsConnected && silence > Interval * Missed ? silence : null;
    }

    private void Heard()
    {
        Interlocked.Exchange(ref _lastHeardTicks, time.GetTimestamp());
        if (!_silent) return;
        _silent = false;
        LogHeardAgain(logger);
    }

    [LoggerMessage(4101, LogLevel.Warning, "No probe came back over the Redis subscription link for {Seconds:0} s; waiting for StackExchange.Redis to replace it")]
    private static partial void LogSilent(ILogger logger, double seconds);

    [LoggerMessage(4102, LogLevel.Information, "Probes come back over the Redis subscription link again")]
    private static partial void LogHeardAgain(ILogger logger);

    [LoggerMessage(4103, LogLevel.Debug, "Redis subscription probe failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string reason);
}
