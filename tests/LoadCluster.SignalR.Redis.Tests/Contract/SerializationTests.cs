using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

public sealed class SerializationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_broadcast_is_serialized_once_per_protocol_at_the_sender_whatever_the_number_of_servers_and_connections()
    {
        var counting = new CountingProtocol();
        await using var cluster = await Cluster.StartAsync(3, redis.ConnectionString, protocol: counting);
        var connections = new List<TestConnection>();
        foreach (var node in cluster.Nodes)
        {
            for (var i = 0; i < 5; i++)
            {
                var connection = await node.ConnectAsync();
                await node.Manager.AddToGroupAsync(connection.ConnectionId, "g");
                connections.Add(connection);
            }
        }

        await cluster[0].Manager.SendAllAsync("m", ["once"]);
        await Expect.EachOnceAsync(connections, "once");
        Assert.Equal(1, counting.Serializations);

        await cluster[2].Manager.SendGroupsAsync(["g", "other"], "m", ["twice"]);
        await Expect.EachOnceAsync(connections, "twice");
        Assert.Equal(2, counting.Serializations);
    }
}
