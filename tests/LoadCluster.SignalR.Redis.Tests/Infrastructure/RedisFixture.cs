using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

/// <summary>One real redis-server for a test class. Tests isolate themselves with their own channel prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public string ConnectionString => Server.ConnectionString;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Channels Redis has subscribers for under a prefix, as Redis itself reports them.</summary>
    public static async Task<int> CountChannelsAsync(RedisServer server, string prefix)
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        var endpoint = admin.GetEndPoints()[0];
        return admin.GetServer(endpoint).SubscriptionChannels(new RedisChannel(prefix + ":*", RedisChannel.PatternMode.Pattern)).Length;
    }

    /// <summary>Publishes raw bytes on a channel, as a foreign or broken publisher would.</summary>
    public static async Task PublishRawAsync(RedisServer server, string channel, byte[] payload)
    {
        using var client = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await client.GetSubscriber().PublishAsync(new RedisChannel(channel, RedisChannel.PatternMode.Literal), payload);
    }
}
