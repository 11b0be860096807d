using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>
/// The contract any scale-out <c>HubLifetimeManager</c> must keep, modelled on ASP.NET Core's
/// ScaleoutHubLifetimeManagerTests: several managers, each with its own Redis connection, stand
/// for servers. One class per concern derives from this; each class gets its own redis-server.
/// </summary>
public abstract class ScaleoutContract(RedisFixture redis) : IClassFixture<RedisFixture>
{
    protected RedisFixture Redis => redis;

    private protected Task<Cluster> ClusterAsync(int servers, Action<RedisBackplaneOptions>? configure = null) =>
        Cluster.StartAsync(servers, redis.ConnectionString, configure);
}
