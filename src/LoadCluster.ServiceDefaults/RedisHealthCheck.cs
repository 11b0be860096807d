using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Health check "StackExchange.Redis": healthy while the primary answers a PING. It stands in for
/// Aspire's own check (AspNetCore.HealthChecks.Redis), which PINGs every node the connection has
/// known: behind Sentinel the dead old primary stays on that list, and every replica stayed
/// Unhealthy after a failover that had worked.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "StackExchange.Redis";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync(CommandFlags.DemandMaster).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The Redis primary does not answer.", e);
        }
    }
}
