using LoadCluster.Testing;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Relay;

[Collection(WebAppCollection.Name)]
public sealed class DevelopmentTests
{
    // Development validates DI scopes: a render on the root provider that needs a scoped service
    // (HtmlRenderer asks for one) fails there and only there, so pushes must work in Development too.
    [Fact]
    public async Task Live_updates_work_in_development_too()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var app = await WebApp.StartAsync(redis.ConnectionString, "web-dev", environment: "Development");
        using var publisher = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var channel = StackExchange.Redis.RedisChannel.Literal(new LoadCluster.Samples.RedisNames().SamplesChannel("dev-1"));
        await Eventually.GetAsync(async () =>
        {
            await publisher.GetSubscriber().PublishAsync(channel, LoadCluster.Samples.SampleJson.Serialize(RelayFixture.Slow("dev-1")));
            await Task.Delay(200);
            return await app.Http.GetStringAsync("/api/hosts");
        }, json => json.Contains("dev-1", StringComparison.Ordinal), "a sample relayed");
        var html = await app.Http.GetStringAsync("/");
        var signed = SignedStreamNames.FirstIn(html) ?? "";
        await using var client = await SignalRJsonClient.ConnectAsync(app.Hub);

        await client.InvokeAsync("Subscribe", signed);
        await publisher.GetSubscriber().PublishAsync(channel, LoadCluster.Samples.SampleJson.Serialize(RelayFixture.Slow("dev-1", load1: 5.55)));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!((string)(await client.NextAsync("turbo-stream", deadline - DateTime.UtcNow)).Arguments[0]!).Contains(">5.55<", StringComparison.Ordinal))
        {
        }
    }
}
