using System.Diagnostics;
using LoadCluster.SignalR.Redis.Tests.Infrastructure;
using LoadCluster.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit.Abstractions;

namespace LoadCluster.SignalR.Redis.Tests.Faults;

/// <summary>Redis goes away and comes back; each test owns its redis-server, because it kills it.</summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task While_redis_is_down_local_sends_work_remote_sends_fail_fast_and_health_is_unhealthy_then_all_resumes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(2, redis.ConnectionString);
        var local = await cluster[0].ConnectAsync("ada");
        var remote = await cluster[1].ConnectAsync("ada");
        await cluster[0].Manager.AddToGroupAsync(local.ConnectionId, "g");
        await cluster[0].Manager.SendAllAsync("m", ["before"]);
        await Expect.OnceAsync(local, "before");
        await Expect.OnceAsync(remote, "before");

        await redis.StopAsync();
        await WaitUntilAsync(async () => await cluster[0].HealthAsync() == HealthStatus.Unhealthy);

        await cluster[0].Manager.SendConnectionAsync(local.ConnectionId, "m", ["local-only"]);
        await Expect.OnceAsync(local, "local-only");
        await Assert.ThrowsAsync<IOException>(() => cluster[0].Manager.SendGroupAsync("g", "m", ["during"]));
        await Expect.OnceAsync(local, "during"); // this server's members got it; the other servers could not
        await Assert.ThrowsAsync<IOException>(() => cluster[0].Manager.SendConnectionAsync(remote.ConnectionId, "m", ["lost"]));
        Assert.True(cluster[0].Logs.Has(6), "a failed publish is logged");
        await Expect.NothingAsync(remote);

        await redis.StartAsync();
        await WaitUntilAsync(async () => await cluster[0].HealthAsync() == HealthStatus.Healthy && await cluster[1].HealthAsync() == HealthStatus.Healthy);
        var resumedAfter = await DeliverAgainAsync(cluster[0], remote, (node, id) => node.Manager.SendUserAsync("ada", "m", [id]));
        output.WriteLine($"delivery resumed {resumedAfter.TotalMilliseconds:0} ms after both servers reported healthy");
    }

    [Fact]
    public async Task An_app_starts_without_redis_reports_unhealthy_and_joins_the_cluster_when_redis_appears()
    {
        var port = FreePort.Next();
        var configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=1000";
        await using var lonely = BackplaneNode.Create(configuration, o => o.ChannelPrefix = "late");
        await lonely.Connection.StartAsync();
        Assert.Equal(HealthStatus.Unhealthy, await lonely.HealthAsync());
        var connection = await lonely.ConnectAsync();
        await lonely.Manager.AddToGroupAsync(connection.ConnectionId, "g");

        await using var redis = await RedisServer.StartAsync(port);
        await using var other = BackplaneNode.Create(configuration, o => o.ChannelPrefix = "late");
        await other.Connection.StartAsync();
        await WaitUntilAsync(async () => await lonely.HealthAsync() == HealthStatus.Healthy);

        var stopwatch = Stopwatch.StartNew();
        await DeliverAgainAsync(other, connection, (node, id) => node.Manager.SendGroupAsync("g", "m", [id]));
        output.WriteLine($"group subscription made while Redis was down works {stopwatch.ElapsedMilliseconds} ms after healthy");
    }

    [Fact]
    public async Task A_subscriber_link_that_receives_nothing_is_detected_logged_and_repaired()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(2, redis.ConnectionString, o => o.ProbeInterval = TimeSpan.FromMilliseconds(200));
        var member = await cluster[1].ConnectAsync();
        await cluster[1].Manager.AddToGroupAsync(member.ConnectionId, "g");
        await cluster[0].Manager.SendGroupAsync("g", "m", ["before"]);
        await Expect.OnceAsync(member, "before");

        await cluster[1].Connection.BreakSubscriptionsSilentlyAsync();
        Assert.True(cluster[1].Connection.IsConnected, "the link still says it is connected");

        await WaitUntilAsync(() => Task.FromResult(cluster[1].Logs.Has(11)));
        var repairedAfter = await DeliverAgainAsync(cluster[0], member, (node, id) => node.Manager.SendGroupAsync("g", "m", [id]));
        await WaitUntilAsync(async () => await cluster[1].HealthAsync() == HealthStatus.Healthy);
        output.WriteLine($"group delivery back {repairedAfter.TotalMilliseconds:0} ms after the silence was detected");
    }

    [Fact]
    public async Task A_link_that_stays_deaf_after_subscribing_again_is_replaced_by_a_new_connection()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(2, redis.ConnectionString, o => o.ProbeInterval = TimeSpan.FromMilliseconds(200));
        var member = await cluster[1].ConnectAsync("ada");
        await cluster[1].Manager.AddToGroupAsync(member.ConnectionId, "g");

        cluster[1].Connection.MakeLinkDeaf();

        await WaitUntilAsync(() => Task.FromResult(cluster[1].Logs.Entries.Count(e => e.EventId == 11) >= 2));
        Assert.Contains(cluster[1].Logs.Entries, e => e.EventId == 11 && e.Message.Contains("new connection"));
        await DeliverAgainAsync(cluster[0], member, (node, id) => node.Manager.SendGroupAsync("g", "m", [id]));
        await DeliverAgainAsync(cluster[0], member, (node, id) => node.Manager.SendUserAsync("ada", "m", [id]));
        await WaitUntilAsync(async () => await cluster[1].HealthAsync() == HealthStatus.Healthy);
    }

    /// <summary>
    /// Sends a new id every 100 ms until one arrives; then checks that no id arrives twice and
    /// returns how long it took.
    /// </summary>
    private static async Task<TimeSpan> DeliverAgainAsync(BackplaneNode sender, TestConnection target, Func<BackplaneNode, string, Task> send)
    {
        var stopwatch = Stopwatch.StartNew();
        var sent = 0;
        while (true)
        {
            Assert.True(stopwatch.Elapsed < Generous, $"no delivery within {Generous.TotalSeconds} s");
            try { await send(sender, $"retry-{sent++}"); }
            catch (IOException) { }
            var received = await target.DrainAsync(TimeSpan.FromMilliseconds(100));
            if (received.Count == 0) continue;
            var elapsed = stopwatch.Elapsed;
            received.AddRange(await target.DrainAsync(TimeSpan.FromMilliseconds(500)));
            var ids = received.Select(r => r.FirstArgument).ToList();
            Assert.Equal(ids.Distinct().Count(), ids.Count);
            return elapsed;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < Generous, $"condition not met within {Generous.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
