using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Board;

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
        await RelayFixture.WaitUntilRelayingAsync(app, publisher, "dev-1");
        await using var client = await app.OpenPageAsync("/");
        await client.NextAsync(TimeSpan.FromSeconds(20)); // the state

        await publisher.GetSubscriber().PublishAsync(StackExchange.Redis.RedisChannel.Literal(new LoadCluster.Samples.RedisNames().SamplesChannel("dev-1")),
            LoadCluster.Samples.SampleJson.Serialize(RelayFixture.Slow("dev-1", load1: 5.55)));

        await client.ReadUntilAsync(m => m.Contains(">5.55<", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }
}
