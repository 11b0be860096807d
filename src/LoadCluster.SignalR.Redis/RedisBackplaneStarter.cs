using LoadCluster.SignalR.Redis.Internal;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.SignalR.Redis;

/// <summary>
/// Starts connecting to Redis with the app, without waiting for it: an unreachable Redis does not
/// stop the app from starting, and the health check reports the link from the first request on.
/// </summary>
internal sealed class RedisBackplaneStarter(RedisBackplaneConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Observed here so that a failure is never unobserved; the connection has logged it already.
        _ = connection.StartAsync().ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
