using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LoadCluster.Turbo.Tests.Pushing;

/// <summary>
/// What a Redis outage does to three nodes on the official backplane under push traffic, done to a
/// real Redis container (on a fixed port, so its clients can come back): killed, paused, its
/// subscriber connections killed. Each asserts what the library promises: page sockets stay
/// connected (they are to the nodes, not to Redis), delivery resumes by itself, nothing is
/// delivered twice. Resume times are printed, not asserted tight.
/// </summary>
public sealed class BackplaneFaultTests(ITestOutputHelper output)
{
    private const string Stream = "app:fault";
    private static readonly TimeSpan Resume = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Redis_killed_and_restarted_under_traffic_loses_no_socket_and_delivers_again_once()
    {
        await using var redis = await TestRedis.StartAsync();
        var (nodes, clients) = await StartAsync(redis);
        await using var traffic = PushTraffic.Start(nodes[0].Push, Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.KillAsync();
        var down = traffic.Now;
        await Wait.UntilAsync(() => traffic.Failed > 0, Resume, "a push failed while Redis was away");
        await redis.StartAsync();
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"delivery resumed on every node {resumed.TotalSeconds:0.00} s after Redis was back; {traffic.Failed} pushes failed in the {(traffic.Now - down).TotalSeconds:0.0} s it was away");

        Assert.True(traffic.AllConnected, "a page socket was disconnected by the outage");
        Assert.Empty(traffic.Duplicates());
        await DisposeAsync(nodes, clients);
    }

    [Fact]
    public async Task A_paused_redis_that_hangs_with_its_sockets_open_delays_delivery_which_resumes_once_when_it_wakes()
    {
        await using var redis = await TestRedis.StartAsync();
        var (nodes, clients) = await StartAsync(redis);
        await using var traffic = PushTraffic.Start(nodes[0].Push, Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.PauseAsync();
        var paused = traffic.Now;
        await Wait.UntilAsync(() => traffic.Now - paused > TimeSpan.FromSeconds(3), Resume, "Redis hung for 3 s");
        await redis.UnpauseAsync();
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"delivery resumed on every node {resumed.TotalSeconds:0.00} s after Redis woke up");

        Assert.True(traffic.AllConnected, "a page socket was disconnected while Redis hung");
        Assert.Empty(traffic.Duplicates());
        await DisposeAsync(nodes, clients);
    }

    [Fact]
    public async Task Subscriber_connections_killed_by_redis_come_back_by_themselves()
    {
        await using var redis = await TestRedis.StartAsync();
        var (nodes, clients) = await StartAsync(redis);
        await using var traffic = PushTraffic.Start(nodes[0].Push, Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        var killed = await redis.CliAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"CLIENT KILL TYPE pubsub closed {killed} connections; delivery resumed {resumed.TotalSeconds:0.00} s later");

        Assert.Equal("3", killed);
        Assert.True(traffic.AllConnected);
        Assert.Empty(traffic.Duplicates());
        await DisposeAsync(nodes, clients);
    }

    private static async Task<(List<TurboTestApp> Nodes, List<TurboSocketClient> Clients)> StartAsync(TestRedis redis)
    {
        var nodes = new List<TurboTestApp>();
        var clients = new List<TurboSocketClient>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await TurboTestApp.StartAsync(builder => builder.Services.AddSignalR().AddStackExchangeRedis(redis.ConnectionString)));
            clients.Add(await nodes[i].ConnectAsync(Stream));
        }
        return (nodes, clients);
    }

    private static async Task DisposeAsync(List<TurboTestApp> nodes, List<TurboSocketClient> clients)
    {
        foreach (var client in clients) await client.DisposeAsync();
        foreach (var node in nodes) await node.DisposeAsync();
    }
}
