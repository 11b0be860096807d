using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: sends to everyone, to some and to single connections.</summary>
public sealed class SendContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task Send_to_all_reaches_every_connection_on_three_servers_exactly_once()
    {
        await using var cluster = await ClusterAsync(3);
        var connections = new List<TestConnection>();
        foreach (var node in cluster.Nodes)
        {
            connections.Add(await node.ConnectAsync());
            connections.Add(await node.ConnectAsync());
        }

        await cluster[1].Manager.SendAllAsync("m", ["all-1"]);

        await Expect.EachOnceAsync(connections, "all-1");
    }

    [Fact]
    public async Task Send_to_all_except_skips_excluded_connections_local_and_remote()
    {
        await using var cluster = await ClusterAsync(2);
        var localKept = await cluster[0].ConnectAsync();
        var localExcluded = await cluster[0].ConnectAsync();
        var remoteKept = await cluster[1].ConnectAsync();
        var remoteExcluded = await cluster[1].ConnectAsync();

        await cluster[0].Manager.SendAllExceptAsync("m", ["x"], [localExcluded.ConnectionId, remoteExcluded.ConnectionId]);

        await Expect.OnceAsync(localKept, "x");
        await Expect.OnceAsync(remoteKept, "x");
        await Expect.NothingAsync(localExcluded);
        await Expect.NothingAsync(remoteExcluded);
    }

    [Fact]
    public async Task Send_to_one_connection_reaches_it_on_its_server_and_no_one_else()
    {
        await using var cluster = await ClusterAsync(2);
        var target = await cluster[1].ConnectAsync();
        var other = await cluster[1].ConnectAsync();
        var local = await cluster[0].ConnectAsync();

        await cluster[0].Manager.SendConnectionAsync(target.ConnectionId, "m", ["c"]);
        await cluster[0].Manager.SendConnectionAsync(local.ConnectionId, "m", ["l"]);

        await Expect.OnceAsync(target, "c");
        await Expect.OnceAsync(local, "l");
        await Expect.NothingAsync(other);
    }

    [Fact]
    public async Task Send_to_several_connections_reaches_each_once_even_if_listed_twice()
    {
        await using var cluster = await ClusterAsync(3);
        var a = await cluster[0].ConnectAsync();
        var b = await cluster[1].ConnectAsync();
        var c = await cluster[2].ConnectAsync();
        var untouched = await cluster[2].ConnectAsync();

        await cluster[0].Manager.SendConnectionsAsync([a.ConnectionId, b.ConnectionId, c.ConnectionId, b.ConnectionId], "m", ["cs"]);

        await Expect.EachOnceAsync([a, b, c], "cs");
        await Expect.NothingAsync(untouched);
    }

    [Fact]
    public async Task Sending_to_a_remote_connection_that_is_gone_does_not_throw()
    {
        await using var cluster = await ClusterAsync(2);
        var gone = await cluster[1].ConnectAsync();
        await cluster[1].Manager.OnDisconnectedAsync(gone);

        await cluster[0].Manager.SendConnectionAsync(gone.ConnectionId, "m", ["late"]);
        await cluster[0].Manager.SendConnectionsAsync([gone.ConnectionId, "never-existed"], "m", ["late"]);

        await Expect.NothingAsync(gone);
    }
}
