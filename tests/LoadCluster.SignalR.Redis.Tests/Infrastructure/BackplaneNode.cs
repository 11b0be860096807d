using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

/// <summary>
/// One "server" in a test process: its own service provider, Redis connection and
/// <see cref="HubLifetimeManager{THub}"/>, registered exactly as an app registers the backplane.
/// </summary>
internal sealed class BackplaneNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly IHubProtocol? _protocol;

    private BackplaneNode(ServiceProvider services, LogCollector logs, IHubProtocol? protocol)
    {
        _services = services;
        _protocol = protocol;
        Logs = logs;
        Manager = services.GetRequiredService<HubLifetimeManager<TestHub>>();
    }

    public HubLifetimeManager<TestHub> Manager { get; }

    public RedisHubLifetimeManager<TestHub> Redis => (RedisHubLifetimeManager<TestHub>)Manager;

    public RedisBackplaneConnection Connection => _services.GetRequiredService<RedisBackplaneConnection>();

    public LogCollector Logs { get; }

    public static BackplaneNode Create(string redis, Action<RedisBackplaneOptions>? configure = null, IHubProtocol? protocol = null)
    {
        var services = new ServiceCollection();
        var logs = new LogCollector();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        if (protocol is not null) services.AddSingleton(protocol);
        services.AddSignalR().AddRedisBackplane(o =>
        {
            o.Configuration = redis;
            configure?.Invoke(o);
        });
        return new BackplaneNode(services.BuildServiceProvider(), logs, protocol);
    }

    public static async Task<BackplaneNode[]> CreateManyAsync(int count, string redis, Action<RedisBackplaneOptions>? configure = null, IHubProtocol? protocol = null)
    {
        var nodes = Enumerable.Range(0, count).Select(_ => Create(redis, configure, protocol)).ToArray();
        foreach (var node in nodes)
        {
            await node.Connection.StartAsync();
            await node.Redis.Started;
        }
        return nodes;
    }

    public async Task<TestConnection> ConnectAsync(string? userId = null, bool failWrites = false, bool holdWrites = false)
    {
        var connection = new TestConnection(userId, _protocol, failWrites, holdWrites);
        await Manager.OnConnectedAsync(connection);
        return connection;
    }

    public async Task<HealthStatus> HealthAsync()
    {
        var report = await _services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Status;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
