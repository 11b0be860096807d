using System.Buffers;
using System.Text;
using LoadCluster.SignalR.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>
/// The contract any scale-out <c>HubLifetimeManager</c> must keep, modelled on ASP.NET Core's
/// ScaleoutHubLifetimeManagerTests: several managers, each with its own Redis connection, stand
/// for servers.
/// </summary>
public sealed class ScaleoutContractTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private Task<Cluster> ClusterAsync(int servers, Action<RedisBackplaneOptions>? configure = null) =>
        Cluster.StartAsync(servers, redis.ConnectionString, configure);

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
    public async Task A_user_with_connections_on_two_servers_gets_the_message_on_each_once()
    {
        await using var cluster = await ClusterAsync(3);
        var first = await cluster[0].ConnectAsync("ada");
        var second = await cluster[1].ConnectAsync("ada");
        var third = await cluster[1].ConnectAsync("ada");
        var someoneElse = await cluster[1].ConnectAsync("bob");

        await cluster[2].Manager.SendUserAsync("ada", "m", ["u"]);

        await Expect.EachOnceAsync([first, second, third], "u");
        await Expect.NothingAsync(someoneElse);
    }

    [Fact]
    public async Task Send_to_several_users_reaches_each_of_their_connections_once()
    {
        await using var cluster = await ClusterAsync(2);
        var ada = await cluster[0].ConnectAsync("ada");
        var bob = await cluster[1].ConnectAsync("bob");
        var carol = await cluster[1].ConnectAsync("carol");

        await cluster[0].Manager.SendUsersAsync(["ada", "bob", "bob"], "m", ["us"]);

        await Expect.OnceAsync(ada, "us");
        await Expect.OnceAsync(bob, "us");
        await Expect.NothingAsync(carol);
    }

    [Fact]
    public async Task After_one_of_a_users_connections_leaves_the_others_still_get_messages()
    {
        await using var cluster = await ClusterAsync(2);
        var leaving = await cluster[1].ConnectAsync("ada");
        var staying = await cluster[1].ConnectAsync("ada");
        var elsewhere = await cluster[0].ConnectAsync("ada");
        await cluster[1].Manager.OnDisconnectedAsync(leaving);

        await cluster[0].Manager.SendUserAsync("ada", "m", ["still"]);

        await Expect.OnceAsync(staying, "still");
        await Expect.OnceAsync(elsewhere, "still");
        await Expect.NothingAsync(leaving);
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

    [Fact]
    public async Task Group_and_user_names_are_literal_so_wildcards_match_nothing_else()
    {
        await using var cluster = await ClusterAsync(2);
        var inAb = await cluster[1].ConnectAsync("ab");
        await cluster[1].Manager.AddToGroupAsync(inAb.ConnectionId, "ab");
        var inStar = await cluster[1].ConnectAsync("a*");
        await cluster[1].Manager.AddToGroupAsync(inStar.ConnectionId, "a*");

        await cluster[0].Manager.SendGroupAsync("a*", "m", ["g*"]);
        await cluster[0].Manager.SendGroupAsync("a?", "m", ["g?"]);
        await cluster[0].Manager.SendGroupAsync("[a]b", "m", ["g[]"]);
        await cluster[0].Manager.SendUserAsync("a*", "m", ["u*"]);

        var starReceived = (await inStar.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument);
        Assert.Equal(["g*", "u*"], starReceived);
        await Expect.NothingAsync(inAb);
    }

    [Fact]
    public async Task Group_names_and_user_ids_are_case_sensitive()
    {
        await using var cluster = await ClusterAsync(2);
        var lower = await cluster[1].ConnectAsync("ada");
        await cluster[1].Manager.AddToGroupAsync(lower.ConnectionId, "admins");

        await cluster[0].Manager.SendGroupAsync("Admins", "m", ["G"]);
        await cluster[0].Manager.SendUserAsync("ADA", "m", ["U"]);
        await Expect.NothingAsync(lower);

        await cluster[0].Manager.SendGroupAsync("admins", "m", ["g"]);
        await Expect.OnceAsync(lower, "g");
    }

    [Fact]
    public async Task Two_apps_with_different_prefixes_share_one_redis_without_seeing_each_other()
    {
        await using var appA = await ClusterAsync(2);
        await using var appB = await ClusterAsync(2);
        var inA = await appA[1].ConnectAsync("ada");
        var inB = await appB[1].ConnectAsync("ada");

        await appA[0].Manager.SendAllAsync("m", ["a"]);
        await appA[0].Manager.SendUserAsync("ada", "m", ["a-user"]);

        Assert.Equal(["a", "a-user"], (await inA.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument));
        await Expect.NothingAsync(inB);
    }

    [Fact]
    public async Task Redis_channels_and_local_state_return_to_baseline_after_connections_and_groups_come_and_go()
    {
        await using var cluster = await ClusterAsync(2);
        var baseline = await RedisFixture.CountChannelsAsync(redis.Server, cluster.Prefix);

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
            Assert.True(await RedisFixture.CountChannelsAsync(redis.Server, cluster.Prefix) > baseline);
            foreach (var (node, connection) in connections.Where((_, i) => i % 2 == 0))
                await node.Manager.RemoveFromGroupAsync(connection.ConnectionId, "remote-added");
            foreach (var (node, connection) in connections) await node.Manager.OnDisconnectedAsync(connection);
        }

        Assert.Equal(baseline, await RedisFixture.CountChannelsAsync(redis.Server, cluster.Prefix));
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

        await RedisFixture.PublishRawAsync(redis.Server, channel, "not a backplane message"u8.ToArray());
        await RedisFixture.PublishRawAsync(redis.Server, channel, [1, 200, 200, 200, 200]);
        await RedisFixture.PublishRawAsync(redis.Server, $"{cluster.Prefix}:{typeof(TestHub).FullName}:all", []);
        await cluster[0].Manager.SendGroupAsync("g", "m", ["after"]);

        await Expect.OnceAsync(member, "after");
        Assert.Equal(3, cluster[1].Logs.Entries.Count(e => e.EventId == 9));
    }

    [Fact]
    public async Task Client_results_work_for_a_local_connection()
    {
        await using var cluster = await ClusterAsync(2);
        var local = await cluster[0].ConnectAsync();

        var pending = cluster[0].Manager.InvokeConnectionAsync<int>(local.ConnectionId, "ask", [], CancellationToken.None);
        var invocation = await local.NextAsync();
        Assert.Equal("ask", invocation.Target);
        Assert.True(cluster[0].Manager.TryGetReturnType(invocation.InvocationId!, out var type));
        Assert.Equal(typeof(int), type);
        await cluster[0].Manager.SetConnectionResultAsync(local.ConnectionId, CompletionMessage.WithResult(invocation.InvocationId!, 42));

        Assert.Equal(42, await pending);
    }

    [Fact]
    public async Task Client_results_work_across_servers_with_invocation_ids_unique_across_servers()
    {
        await using var cluster = await ClusterAsync(3);
        var remote = await cluster[1].ConnectAsync();

        var fromFirst = cluster[0].Manager.InvokeConnectionAsync<int>(remote.ConnectionId, "ask", ["a"], CancellationToken.None);
        var fromThird = cluster[2].Manager.InvokeConnectionAsync<string>(remote.ConnectionId, "ask", ["b"], CancellationToken.None);
        var invocations = new[] { await remote.NextAsync(), await remote.NextAsync() };
        Assert.NotEqual(invocations[0].InvocationId, invocations[1].InvocationId);

        // What HubConnectionHandler does when the client answers: ask the manager for the type, then hand it the completion.
        foreach (var invocation in invocations)
        {
            Assert.True(cluster[1].Manager.TryGetReturnType(invocation.InvocationId!, out var type));
            Assert.Equal(typeof(RawResult), type);
            var answer = invocation.FirstArgument == "a" ? "42" : "\"forty-two\"";
            await cluster[1].Manager.SetConnectionResultAsync(remote.ConnectionId, CompletionMessage.WithResult(invocation.InvocationId!, new RawResult(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(answer)))));
        }

        Assert.Equal(42, await fromFirst.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("forty-two", await fromThird.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_remote_client_error_or_disconnect_reaches_the_asking_server_as_an_error()
    {
        await using var cluster = await ClusterAsync(2);
        var failing = await cluster[1].ConnectAsync();
        var leaving = await cluster[1].ConnectAsync();

        var failed = cluster[0].Manager.InvokeConnectionAsync<int>(failing.ConnectionId, "ask", [], CancellationToken.None);
        var invocation = await failing.NextAsync();
        cluster[1].Manager.TryGetReturnType(invocation.InvocationId!, out _);
        await cluster[1].Manager.SetConnectionResultAsync(failing.ConnectionId, CompletionMessage.WithError(invocation.InvocationId!, "client said no"));
        var error = await Assert.ThrowsAsync<HubException>(() => failed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("client said no", error.Message);

        var abandoned = cluster[0].Manager.InvokeConnectionAsync<int>(leaving.ConnectionId, "ask", [], CancellationToken.None);
        await leaving.NextAsync();
        await cluster[1].Manager.OnDisconnectedAsync(leaving);
        error = await Assert.ThrowsAsync<HubException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("disconnected", error.Message);

        await Assert.ThrowsAsync<IOException>(() => cluster[0].Manager.InvokeConnectionAsync<int>("nobody", "ask", [], CancellationToken.None));
    }

    [Fact]
    public async Task Pending_client_results_fail_when_their_connection_disconnects()
    {
        await using var cluster = await ClusterAsync(1);
        var local = await cluster[0].ConnectAsync();

        var pending = cluster[0].Manager.InvokeConnectionAsync<string>(local.ConnectionId, "ask", [], CancellationToken.None);
        await local.NextAsync();
        await cluster[0].Manager.OnDisconnectedAsync(local);

        await Assert.ThrowsAsync<IOException>(() => pending);
    }
}
