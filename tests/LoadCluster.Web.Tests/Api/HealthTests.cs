using System.Net;
using LoadCluster.Testing;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Api;

[Collection(WebAppCollection.Name)]
public sealed class HealthTests
{
    private static Task<HttpStatusCode> StatusAsync(WebApp app, string path) =>
        app.Http.GetAsync(path).ContinueWith(t => t.Result.StatusCode, TaskScheduler.Default);

    [Fact]
    public async Task Health_is_unhealthy_while_redis_is_down_and_recovers_with_it()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var app = await WebApp.StartAsync(redis, "web-health");
        await Wait.ForAsync(() => StatusAsync(app, "/health"), s => s == HttpStatusCode.OK, "healthy with Redis up");

        await redis.KillAsync();
        await Wait.ForAsync(() => StatusAsync(app, "/health"), s => s == HttpStatusCode.ServiceUnavailable, "unhealthy with Redis down");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/alive"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/"));

        await redis.StartAsync();
        await Wait.ForAsync(() => StatusAsync(app, "/health"), s => s == HttpStatusCode.OK, "healthy again after Redis restarted");
        await PublishUntilRelayedAsync(redis, app, "after-restart-1");
    }

    private static async Task PublishUntilRelayedAsync(TestRedis redis, WebApp app, string host)
    {
        using var publisher = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var channel = StackExchange.Redis.RedisChannel.Literal(new LoadCluster.Samples.RedisNames().SamplesChannel(host));
        await Wait.UntilAsync(async () =>
        {
            if ((await app.Http.GetStringAsync("/api/hosts")).Contains(host, StringComparison.Ordinal)) return true;
            await publisher.GetSubscriber().PublishAsync(channel, LoadCluster.Samples.SampleJson.Serialize(TestSamples.Of(host)));
            return false;
        }, TimeSpan.FromSeconds(60), $"a sample of {host} relayed");
    }

    [Fact]
    public async Task The_app_starts_without_redis_and_relays_once_redis_is_there()
    {
        var port = FreePort.Next();
        await using var app = await WebApp.StartAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=1000", "web-late");

        var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using (var body = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync()))
        {
            var redisCheck = body.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "StackExchange.Redis");
            Assert.Equal("Unhealthy", redisCheck.GetProperty("status").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, "/alive"));

        await using var redis = await TestRedis.StartAsync(port);
        await Wait.ForAsync(() => StatusAsync(app, "/health"), s => s == HttpStatusCode.OK, "healthy once Redis is up", TimeSpan.FromSeconds(60));
        await PublishUntilRelayedAsync(redis, app, "late-1");
    }
}
