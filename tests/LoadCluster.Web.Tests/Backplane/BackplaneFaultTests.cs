using System.Net;
using System.Text.Json;
using LoadCluster.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LoadCluster.Web.Tests.Backplane;

/// <summary>
/// What an outage does to three replicas under push traffic, done to a real Redis container (on a
/// fixed port, so clients can come back): kill, pause, subscriber connections killed, a deaf link.
/// Each asserts what the cluster promises: no replica fails, clients stay connected, delivery
/// resumes by itself, and nothing is delivered twice. Resume times are printed, not asserted tight.
/// </summary>
public sealed class BackplaneFaultTests(ITestOutputHelper output)
{
    private const string Stream = "app:fault";
    private static readonly TimeSpan Resume = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Redis_killed_and_restarted_under_traffic_loses_no_client_and_delivers_again_once()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var replicas = await Replicas.StartAsync(redis.ConnectionString, 3, "kill");
        var clients = await SubscribeOnePerReplicaAsync(replicas);
        await using var traffic = new PushTraffic(replicas.Push(0), Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.KillAsync();
        await WaitForHealthAsync(replicas, HttpStatusCode.ServiceUnavailable);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await redis.StartAsync();
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"delivery resumed on every replica {resumed.TotalSeconds:0.00} s after Redis was back; {traffic.Failed} pushes failed while it was away");

        Assert.True(traffic.AllConnected, "a WebSocket client was disconnected by the outage");
        Assert.Empty(traffic.Duplicates());
        await AllAliveAsync(replicas);
        await WaitForHealthAsync(replicas, HttpStatusCode.OK);
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task A_paused_redis_that_hangs_with_its_sockets_open_is_unhealthy_and_delivery_resumes_once_when_it_wakes()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var replicas = await Replicas.StartAsync(redis.ConnectionString, 3, "pause");
        var clients = await SubscribeOnePerReplicaAsync(replicas);
        await using var traffic = new PushTraffic(replicas.Push(0), Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        await redis.PauseAsync();
        await WaitForHealthAsync(replicas, HttpStatusCode.ServiceUnavailable);
        await redis.UnpauseAsync();
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"delivery resumed on every replica {resumed.TotalSeconds:0.00} s after Redis woke up");

        Assert.True(traffic.AllConnected, "a WebSocket client was disconnected while Redis hung");
        Assert.Empty(traffic.Duplicates());
        await AllAliveAsync(replicas);
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task Subscriber_connections_killed_by_redis_come_back_by_themselves()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var replicas = await Replicas.StartAsync(redis.ConnectionString, 3, "pubsub");
        var clients = await SubscribeOnePerReplicaAsync(replicas);
        await using var traffic = new PushTraffic(replicas.Push(0), Stream, clients);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);

        var killed = await redis.CliAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var at = traffic.Now;
        var resumed = await traffic.ResumedAfterAsync(at, Resume);
        output.WriteLine($"CLIENT KILL TYPE pubsub closed {killed} connections; delivery resumed {resumed.TotalSeconds:0.00} s later");

        Assert.Equal("3", killed);
        Assert.True(traffic.AllConnected);
        Assert.Empty(traffic.Duplicates());
        await DisposeAllAsync(clients);
    }

    [Fact]
    public async Task A_subscription_link_that_stays_up_but_hears_nothing_is_reported_and_replaced()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var proxy = new TcpProxy(redis.Port);
        await using var behindProxy = await Replicas.StartAsync($"127.0.0.1:{proxy.Port},abortConnect=false", 1, "deaf");
        await using var direct = await Replicas.StartAsync(redis.ConnectionString, 1, "hearing");
        await using var listener = await behindProxy.SubscribeAsync(0, Stream);
        await using var traffic = new PushTraffic(direct.Push(0), Stream, [listener]);
        await traffic.ResumedAfterAsync(traffic.Now, Resume);
        await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Healthy");

        Assert.Equal(1, proxy.DeafenSubscribers());
        var deafAt = traffic.Now;
        var unhealthy = await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Unhealthy");
        output.WriteLine($"deaf link reported after {(traffic.Now - deafAt).TotalSeconds:0.0} s: {unhealthy}");
        var resumed = await traffic.ResumedAfterAsync(traffic.Now, Resume);
        output.WriteLine($"link replaced and delivery resumed {(traffic.Now - deafAt).TotalSeconds:0.0} s after it went deaf ({resumed.TotalSeconds:0.0} s after it was reported)");

        await WaitForCheckAsync(behindProxy[0], "redis-subscription", "Healthy");
        Assert.True(traffic.AllConnected);
        Assert.Empty(traffic.Duplicates());
    }

    private static async Task<List<SignalRJsonClient>> SubscribeOnePerReplicaAsync(Replicas replicas)
    {
        var clients = new List<SignalRJsonClient>();
        for (var i = 0; i < replicas.Count; i++) clients.Add(await replicas.SubscribeAsync(i, Stream));
        return clients;
    }

    private static async Task DisposeAllAsync(IEnumerable<SignalRJsonClient> clients)
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
            await Eventually.GetAsync(async () => (await app.Http.GetAsync("/health")).StatusCode, s => s == wanted, $"/health {wanted} on replica {i + 1}", Resume);
        }
    }

    /// <summary>Waits until the named check reports <paramref name="status"/>; returns its description.</summary>
    private static async Task<string> WaitForCheckAsync(WebApp app, string check, string status)
    {
        var entry = await Eventually.GetAsync(async () =>
        {
            using var response = await app.Http.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var found = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == check);
            return (Status: found.GetProperty("status").GetString(), Description: found.TryGetProperty("description", out var d) ? d.GetString() : null);
        }, e => e.Status == status, $"check {check} {status}", Resume);
        return entry.Description ?? "";
    }
}
