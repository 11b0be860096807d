using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>Healthy when Redis answers PING within a short time; unhealthy with the reason otherwise.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    // StackExchange.Redis 1.2.6 does not time out async commands itself.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected) return HealthCheckResult.Unhealthy("Redis is not connected; reconnecting in the background");
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer PING within {Timeout.TotalSeconds:0} s");
        }
        catch (RedisException e)
        {
            return HealthCheckResult.Unhealthy($"Redis PING failed: {e.Message}");
        }
    }
}
