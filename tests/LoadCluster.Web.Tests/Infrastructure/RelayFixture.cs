using LoadCluster.Samples;
using LoadCluster.Testing;
using LoadCluster.Web.Board;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>
/// One Redis container with ACLs and one Web app on the web replicas' user for the relay tests;
/// each test uses its own host names. Tests publish as the admin (on each host's own channel) or as
/// a host, on a user made for it (<see cref="HostConnectionStringAsync"/>).
/// </summary>
public sealed class RelayFixture : IAsyncLifetime
{
    private TestRedis? _redis;
    private ConnectionMultiplexer? _publisher;
    private WebApp? _app;

    internal WebApp App => _app!;

    internal TestRedis Redis => _redis!;

    internal RedisNames Names { get; } = new();

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync(acl: true);
        _publisher = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _app = await WebApp.StartAsync(await _redis.CreateWebUserAsync(), configure: builder => builder.Logging.AddProvider(Logs));
    }

    /// <summary>What the app logged.</summary>
    public LogCollector Logs { get; } = new();

    /// <summary>A Redis user for the host, made as enrollment makes it.</summary>
    public Task<string> HostConnectionStringAsync(string host)
    {
        var acl = new RedisAcl(Names);
        return Redis.CreateUserAsync(acl.HostUser(host), acl.HostRules(host));
    }

    /// <summary>Publishes the sample as its host does: on that host's own channel.</summary>
    public Task PublishAsync(Sample sample) => PublishAsync(SampleJson.Serialize(sample), sample.Host);

    public Task PublishAsync(byte[] message, string channelHost) =>
        _publisher!.GetSubscriber().PublishAsync(RedisChannel.Literal(Names.SamplesChannel(channelHost)), message);

    public IDatabase Database => _publisher!.GetDatabase();

    /// <summary>Renders a page and returns the signed stream name it listens to.</summary>
    public async Task<string> SignedStreamOfAsync(string path)
    {
        var html = await App.Http.GetStringAsync(path);
        return SignedStreamNames.FirstIn(html) ?? throw new InvalidOperationException($"{path} has no signed-stream-name");
    }

    /// <summary>
    /// A sample whose collector interval is a minute, so its host cannot turn stale (and be pushed
    /// again by the state watcher) while a test counts messages.
    /// </summary>
    public static LoadCluster.Samples.Sample Slow(string host, double load1 = 0.5, int cores = 2) => TestSamples.Of(host, load1, cores, intervalMs: 60_000);

    /// <summary>Publishes samples until the relay has applied one for <paramref name="host"/> (the subscription may still be starting).</summary>
    public Task WaitUntilRelayingAsync(string host) => WaitUntilRelayingAsync(App, _publisher!, host);

    /// <summary>The same, for any app and publisher on the same Redis.</summary>
    internal static Task WaitUntilRelayingAsync(WebApp app, ConnectionMultiplexer publisher, string host) =>
        Wait.UntilAsync(async () =>
        {
            if (app.Services.GetRequiredService<HostBoard>().Get(host, history: 0) is not null) return true;
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(new RedisNames().SamplesChannel(host)), SampleJson.Serialize(Slow(host)));
            return false;
        }, TimeSpan.FromSeconds(30), $"the relay applied a sample of {host}");

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _publisher?.Dispose();
        if (_redis is not null) await _redis.DisposeAsync();
    }

}
