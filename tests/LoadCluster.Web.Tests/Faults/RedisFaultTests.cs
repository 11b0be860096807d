using System.Net;
using System.Text.Json;
using LoadCluster.Web.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LoadCluster.Web.Tests.Faults;

/// <summary>
/// What an outage does to replicas while samples flow, on the path the pages use (Redis → each
/// replica's relay → its page sockets), done to a real Redis container (on a fixed port, so clients
/// can come back; with ACLs, the replicas on the web replicas' user): killed, paused, its subscriber
/// connections killed, a deaf link. Each asserts what the cluster promises: no replica fails, pages
/// stay connected (their sockets are to the replicas), and the board moves again by itself. Resume
/// times are printed, not asserted tight.
/// </summary>
public sealed class RedisFaultTests(ITestOutputHelper output)
{
    private const string Host = "fault-1";
    private static readonly TimeSpan Resume = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Redis_killed_and_restarted_loses_no_page_and_the_board_moves_again()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        var web = await redis.CreateWebUserAsync();
        await redis.CliAsync("ACL", "SAVE"); // as enrollment does: the user outlives the restart
        await using var replicas = await Replicas.StartAsync(web, 3, "kill");
        var pages = await OpenPagesAsync(replicas);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var traffic = SampleTraffic.Start(publisher, Host, pages);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.KillAsync();
        await WaitForHealthAsync(replicas, HttpStatusCode.ServiceUnavailable);
        await redis.StartAsync();
        var back = traffic.Now;
        var resumed = await traffic.ResumedAfterAsync(back, Resume);
        output.WriteLine($"samples reached every page {resumed.TotalSeconds:0.00} s after Redis was back; {traffic.Failed} publishes failed while it was away");

        Assert.True(traffic.AllConnected, "a page socket was disconnected by the outage");
        await AllAliveAsync(replicas);
        await WaitForHealthAsync(replicas, HttpStatusCode.OK);
        await DisposeAllAsync(pages);
    }

    [Fact]
    public async Task A_paused_redis_that_hangs_with_its_sockets_open_is_unhealthy_and_the_board_moves_again_when_it_wakes()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        await using var replicas = await Replicas.StartAsync(await redis.CreateWebUserAsync(), 3, "pause");
        var pages = await OpenPagesAsync(replicas);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var traffic = SampleTraffic.Start(publisher, Host, pages);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.PauseAsync();
        await WaitForHealthAsync(replicas, HttpStatusCode.ServiceUnavailable);
        await redis.UnpauseAsync();
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"samples reached every page {resumed.TotalSeconds:0.00} s after Redis woke up");

        Assert.True(traffic.AllConnected, "a page socket was disconnected while Redis hung");
        await AllAliveAsync(replicas);
        await DisposeAllAsync(pages);
    }

    [Fact]
    public async Task Subscriber_connections_killed_by_redis_come_back_by_themselves()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        await using var replicas = await Replicas.StartAsync(await redis.CreateWebUserAsync(), 3, "pubsub");
        var pages = await OpenPagesAsync(replicas);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var traffic = SampleTraffic.Start(publisher, Host, pages);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        var killed = int.Parse(await redis.CliAsync("CLIENT", "KILL", "TYPE", "pubsub"), System.Globalization.CultureInfo.InvariantCulture);
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"CLIENT KILL TYPE pubsub closed {killed} connections; samples reached every page again {resumed.TotalSeconds:0.00} s later");

        Assert.InRange(killed, 3, int.MaxValue); // one per replica, and the publisher's
        Assert.True(traffic.AllConnected);
        await DisposeAllAsync(pages);
    }

    [Fact]
    public async Task A_subscription_link_that_stays_up_but_hears_nothing_is_reported_and_replaced()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var proxy = new TcpProxy(redis.Port);
        await using var behindProxy = await Replicas.StartAsync($"127.0.0.1:{proxy.Port},abortConnect=false", 1, "deaf");
        var pages = await OpenPagesAsync(behindProxy);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var traffic = SampleTraffic.Start(publisher, Host, pages);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);
        await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Healthy");

        Assert.Equal(1, proxy.DeafenSubscribers());
        var deafAt = traffic.Now;
        var unhealthy = await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Unhealthy");
        output.WriteLine($"deaf link reported after {(traffic.Now - deafAt).TotalSeconds:0.0} s: {unhealthy}");
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"link replaced and samples arriving again {(traffic.Now - deafAt).TotalSeconds:0.0} s after it went deaf ({resumed.TotalSeconds:0.0} s after it was reported)");

        await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Healthy");
        Assert.True(traffic.AllConnected);
        await DisposeAllAsync(pages);
    }

    /// <summary>Each replica's overview of the traffic's host, its state read: from here each gets every push.</summary>
    private static async Task<List<TurboSocketClient>> OpenPagesAsync(Replicas replicas)
    {
        var pages = new List<TurboSocketClient>();
        for (var i = 0; i < replicas.Count; i++)
        {
            pages.Add(await replicas[i].OpenPageAsync($"/?q={Host}"));
            await pages[^1].NextAsync(Resume);
        }
        return pages;
    }

    private static async Task DisposeAllAsync(IEnumerable<TurboSocketClient> clients)
    {
        foreach (var client in clients) await client.DisposeAsync();
    }

    private static async Task AllAliveAsync(Replicas replicas)
    {
        for (var i = 0; i < replicas.Count; i++) Assert.Equal(HttpStatusCode.OK, (await replicas[i].Http.GetAsync("/alive")).StatusCode);
    }

    private static async Task WaitForHealthAsync(Replicas replicas, HttpStatusCode wanted)
    {
        for (var i = 0; i < replicas.Count; i++)
        {
            var app = replicas[i];
            await Wait.ForAsync(async () => (await app.Http.GetAsync("/health")).StatusCode, s => s == wanted, $"/health {wanted} on replica {i + 1}", Resume);
        }
    }

    /// <summary>Waits until the named check reports <paramref name="status"/>; returns its description.</summary>
    private static async Task<string> WaitForCheckAsync(WebApp app, string check, string status)
    {
        var entry = await Wait.ForAsync(async () =>
        {
            using var response = await app.Http.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var found = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == check);
            return (Status: found.GetProperty("status").GetString(), Description: found.TryGetProperty("description", out var d) ? d.GetString() : null);
        }, e => e.Status == status, $"check {check} {status}", Resume);
        return entry.Description ?? "";
    }
}
