namespace LoadCluster.Web.Tests.Backplane;

/// <summary>One Redis with ACLs and three replicas on it, each on the web replicas' user, shared by tests that leave them running (each uses its own streams and users).</summary>
public sealed class ThreeReplicas : IAsyncLifetime
{
    private TestRedis? _redis;
    private Replicas? _replicas;

    internal Replicas Replicas => _replicas ?? throw new InvalidOperationException("the replicas have not started");

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync(acl: true);
        _replicas = await Replicas.StartAsync(await _redis.CreateWebUserAsync(), 3, "cross");
    }

    public async Task DisposeAsync()
    {
        if (_replicas is not null) await _replicas.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
