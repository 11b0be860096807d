using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: churn returns Redis and local state to baseline; a bad message does not break a subscription.</summary>
public sealed class LifecycleContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task Redis_channels_and_local_state_return_to_baseline_after_connections_and_groups_come_and_go()
    {
        await using var cluster = await ClusterAsync(2);
        var baseline = await RedisFixture.CountChannelsAsync(Redis.Server, cluster.Prefix);

        for (var round = 0; round < 3; round++)
        {
            var connections = new List<(BackplaneNode Node, TestConnection Connection)>();
            for (var i = 0; i < 20; i++)
            {
                var node = cluster[i % 2];
                var connection = await node.ConnectAsync($"user{i % 5}");
                await node.Manager.AddToGroupAsync(connection.ConnectionId, $"group{i % 7}");
                await cluster[(i + 1) % 2].Manager.AddToGroupAsync(connection.ConnectionId, "remote-added");
                connections.Add((node, connection));
            }
            Assert.True(await RedisFixture.CountChannelsAsync(Redis.Server, cluster.Prefix) > baseline);
            foreach (var (node, connection) in connections.Where((_, i) => i % 2 == 0))
                await node.Manager.RemoveFromGroupAsync(connection.ConnectionId, "remote-added");
            foreach (var (node, connection) in connections) await node.Manager.OnDisconnectedAsync(connection);
        }

        Assert.Equal(baseline, await RedisFixture.CountChannelsAsync(Redis.Server, cluster.Prefix));
        foreach (var node in cluster.Nodes)
        {
            Assert.Equal(0, node.Redis.LocalConnectionCount);
            Assert.Equal(0, node.Redis.LocalGroupCount);
            Assert.Equal(0, node.Redis.LocalUserCount);
        }
    }

    [Fact]
    public async Task A_message_that_does_not_decode_is_logged_and_dropped_and_the_subscription_keeps_working()
    {
        await using var cluster = await ClusterAsync(2);
        var member = await cluster[1].ConnectAsync();
        await cluster[1].Manager.AddToGroupAsync(member.ConnectionId, "g");
        var channel = $"{cluster.Prefix}:{typeof(TestHub).FullName}:group:g";

        await RedisFixture.PublishRawAsync(Redis.Server, channel, "not a backplane message"u8.ToArray());
        await RedisFixture.PublishRawAsync(Redis.Server, channel, [1, 200, 200, 200, 200]);
        await RedisFixture.PublishRawAsync(Redis.Server, $"{cluster.Prefix}:{typeof(TestHub).FullName}:all", []);
        await cluster[0].Manager.SendGroupAsync("g", "m", ["after"]);

        await Expect.OnceAsync(member, "after");
        Assert.Equal(3, cluster[1].Logs.Entries.Count(e => e.EventId == 9));
    }
}
