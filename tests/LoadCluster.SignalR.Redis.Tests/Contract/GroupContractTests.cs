using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: group sends, and adding and removing members local and remote.</summary>
public sealed class GroupContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task Send_to_a_group_reaches_members_on_every_server_and_no_one_else()
    {
        await using var cluster = await ClusterAsync(3);
        var members = new List<TestConnection>();
        var others = new List<TestConnection>();
        foreach (var node in cluster.Nodes)
        {
            var member = await node.ConnectAsync();
            await node.Manager.AddToGroupAsync(member.ConnectionId, "g");
            members.Add(member);
            others.Add(await node.ConnectAsync());
        }

        await cluster[0].Manager.SendGroupAsync("g", "m", ["group"]);

        await Expect.EachOnceAsync(members, "group");
        await Task.WhenAll(others.Select(Expect.NothingAsync));
    }

    [Fact]
    public async Task Send_to_several_groups_reaches_a_connection_in_several_of_them_once()
    {
        await using var cluster = await ClusterAsync(3);
        // On each server: one connection in both groups, one in each, one in neither.
        var targets = new List<TestConnection>();
        var outsiders = new List<TestConnection>();
        foreach (var node in cluster.Nodes)
        {
            var both = await node.ConnectAsync();
            await node.Manager.AddToGroupAsync(both.ConnectionId, "g1");
            await node.Manager.AddToGroupAsync(both.ConnectionId, "g2");
            var first = await node.ConnectAsync();
            await node.Manager.AddToGroupAsync(first.ConnectionId, "g1");
            var second = await node.ConnectAsync();
            await node.Manager.AddToGroupAsync(second.ConnectionId, "g2");
            targets.AddRange([both, first, second]);
            outsiders.Add(await node.ConnectAsync());
        }

        await cluster[1].Manager.SendGroupsAsync(["g2", "g1", "g2"], "m", ["groups"]);

        await Expect.EachOnceAsync(targets, "groups");
        await Task.WhenAll(outsiders.Select(Expect.NothingAsync));
    }

    [Fact]
    public async Task Send_to_group_except_skips_the_excluded_members()
    {
        await using var cluster = await ClusterAsync(2);
        var kept = await cluster[1].ConnectAsync();
        var excluded = await cluster[1].ConnectAsync();
        await cluster[1].Manager.AddToGroupAsync(kept.ConnectionId, "g");
        await cluster[1].Manager.AddToGroupAsync(excluded.ConnectionId, "g");

        await cluster[0].Manager.SendGroupExceptAsync("g", "m", ["ge"], [excluded.ConnectionId]);

        await Expect.OnceAsync(kept, "ge");
        await Expect.NothingAsync(excluded);
    }

    [Fact]
    public async Task A_group_send_where_one_connection_fails_still_reaches_the_others()
    {
        await using var cluster = await ClusterAsync(2);
        var broken = await cluster[1].ConnectAsync(failWrites: true);
        var healthy = await cluster[1].ConnectAsync();
        var local = await cluster[0].ConnectAsync();
        foreach (var (node, connection) in new[] { (cluster[1], broken), (cluster[1], healthy), (cluster[0], local) })
            await node.Manager.AddToGroupAsync(connection.ConnectionId, "g");

        await cluster[0].Manager.SendGroupAsync("g", "m", ["survives"]);

        await Expect.OnceAsync(healthy, "survives");
        await Expect.OnceAsync(local, "survives");
    }

    [Fact]
    public async Task Adding_and_removing_a_connection_held_by_another_server_is_acknowledged_and_takes_effect()
    {
        await using var cluster = await ClusterAsync(2);
        var remote = await cluster[1].ConnectAsync();

        await cluster[0].Manager.AddToGroupAsync(remote.ConnectionId, "g");
        await cluster[0].Manager.SendGroupAsync("g", "m", ["in"]);
        await Expect.OnceAsync(remote, "in");

        await cluster[0].Manager.RemoveFromGroupAsync(remote.ConnectionId, "g");
        await cluster[0].Manager.SendGroupAsync("g", "m", ["out"]);
        await Expect.NothingAsync(remote);
        Assert.Equal(0, cluster[0].Redis.PendingAckCount);
    }

    [Fact]
    public async Task Adding_a_local_connection_twice_delivers_once_and_removing_it_stops_delivery()
    {
        await using var cluster = await ClusterAsync(2);
        var member = await cluster[1].ConnectAsync();
        await cluster[1].Manager.AddToGroupAsync(member.ConnectionId, "g");
        await cluster[1].Manager.AddToGroupAsync(member.ConnectionId, "g");

        await cluster[0].Manager.SendGroupAsync("g", "m", ["once"]);
        await Expect.OnceAsync(member, "once");

        await cluster[1].Manager.RemoveFromGroupAsync(member.ConnectionId, "g");
        await cluster[1].Manager.RemoveFromGroupAsync(member.ConnectionId, "g");
        await cluster[0].Manager.SendGroupAsync("g", "m", ["remote-after"]);
        await cluster[1].Manager.SendGroupAsync("g", "m", ["local-after"]);
        await Expect.NothingAsync(member);
        Assert.Equal(0, cluster[1].Redis.LocalGroupCount);
    }

    [Fact]
    public async Task Adding_a_connection_no_server_holds_times_out_with_a_clear_error()
    {
        await using var cluster = await ClusterAsync(2, o => o.AckTimeout = TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => cluster[0].Manager.AddToGroupAsync("nobody", "g"));

        Assert.Contains("'nobody'", error.Message);
        Assert.Contains("'g'", error.Message);
        Assert.Equal(0, cluster[0].Redis.PendingAckCount);
    }

    [Fact]
    public async Task A_remote_group_command_honours_the_callers_cancellation()
    {
        await using var cluster = await ClusterAsync(2, o => o.AckTimeout = TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cluster[0].Manager.AddToGroupAsync("nobody", "g", cancel.Token));
        Assert.Equal(0, cluster[0].Redis.PendingAckCount);
    }
}
