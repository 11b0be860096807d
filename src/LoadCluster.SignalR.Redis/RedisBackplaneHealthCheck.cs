using LoadCluster.SignalR.Redis.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LoadCluster.SignalR.Redis;

/// <summary>Unhealthy while the Redis link is down, or connected but its probe does not come back.</summary>
internal sealed class RedisBackplaneHealthCheck(RedisBackplaneConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !connection.IsConnected ? HealthCheckResult.Unhealthy("The Redis backplane link is down: messages to other servers fail until it returns.")
            : connection.ProbeSilent ? HealthCheckResult.Unhealthy("The Redis backplane subscriber link is silent (its probe does not come back); it is being repaired.")
            : HealthCheckResult.Healthy("The Redis backplane link is up."));
}
