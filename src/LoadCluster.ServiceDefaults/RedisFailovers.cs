using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Counts failovers behind Sentinel, on the meter "LoadCluster.Redis": <c>loadcluster.redis.failovers</c>,
/// one each time the primary this service's commands go to is another node than before and the
/// one before is gone. None of StackExchange.Redis's events says that by itself: ConfigurationChanged
/// follows every reconfigure (a reconnect to the same primary too), ConnectionRestored every
/// reconnect, and ConfigurationChangedBroadcast only another client's announcement, which Sentinel
/// never makes. So on each of the first two this asks which node answers a PING that demands the
/// primary (what the service's writes reach) and compares it with the last one that answered.
/// "Gone" matters: a killed primary that restarts comes back as a primary until the sentinels
/// demote it, and StackExchange.Redis sends to it meanwhile (measured: two more changes per
/// failover); while the node before still answers, a change is no failover. Registered only with
/// <c>serviceName=</c> in the connection string.
/// </summary>
internal sealed class RedisFailovers(IConnectionMultiplexer redis, IMeterFactory meters, ILogger<RedisFailovers> logger) : IHostedService
{
    private readonly Counter<long> _failovers = meters.Create("LoadCluster.Redis")
        .CreateCounter<long>("loadcluster.redis.failovers", "{failover}", "Changes of the Redis primary this service's commands go to (behind Sentinel)");

    // One check at a time, so answers are compared in the order they were asked for.
    private readonly SemaphoreSlim _checking = new(1, 1);
    private EndPoint? _primary;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConfigurationChanged += OnChanged;
        redis.ConnectionRestored += OnRestored;
        Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConfigurationChanged -= OnChanged;
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    private bool Connected(EndPoint endpoint)
    {
        try
        {
            return redis.GetServer(endpoint).IsConnected;
        }
        catch (ArgumentException)
        {
            return false; // no longer one of the connection's nodes
        }
    }

    private void OnChanged(object? sender, EndPointEventArgs e) => Check();

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => Check();

    private void Check() => _ = CheckAsync();

    private async Task CheckAsync()
    {
        await _checking.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!redis.IsConnected) return;
            var primary = await redis.GetDatabase().IdentifyEndpointAsync(flags: CommandFlags.DemandMaster).ConfigureAwait(false);
            if (primary is null || primary.Equals(_primary)) return;
            var previous = _primary;
            _primary = primary;
            if (previous is null || Connected(previous)) return;
            _failovers.Add(1);
            Log.RedisFailover(logger, previous.ToString() ?? "?", primary.ToString() ?? "?");
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // No primary answers now: the next event asks again.
        }
        finally
        {
            _checking.Release();
        }
    }
}
