namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

/// <summary>Several backplane servers on one Redis, under a channel prefix of their own.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private Cluster(string prefix, BackplaneNode[] nodes)
    {
        Prefix = prefix;
        Nodes = nodes;
    }

    public string Prefix { get; }

    public BackplaneNode[] Nodes { get; }

    public BackplaneNode this[int index] => Nodes[index];

    public static async Task<Cluster> StartAsync(int servers, string redis, Action<RedisBackplaneOptions>? configure = null, Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol? protocol = null)
    {
        var prefix = "test" + Guid.NewGuid().ToString("N")[..8];
        var nodes = await BackplaneNode.CreateManyAsync(servers, redis, o =>
        {
            o.ChannelPrefix = prefix;
            configure?.Invoke(o);
        }, protocol);
        return new Cluster(prefix, nodes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
