using System.Collections.Concurrent;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Keeps the hosts index (<see cref="RedisNames.Hosts"/>: host scored by when a replica last heard
/// from it, Unix ms) for the loader, the Cluster page and the enrollment tool's list. The web
/// replicas write it, not the hosts: a host's Redis user may write only its own keys. Each replica
/// adds what its relay applied once a second in one ZADD GT (every replica hears every sample, so
/// any one keeps it current; GT keeps the newest of theirs), and drops hosts silent for longer
/// than <see cref="HostBoardLoader.Forget"/> once a minute.
/// </summary>
internal sealed partial class HostsIndex(IConnectionMultiplexer redis, RedisNames names, TimeProvider time, ILogger<HostsIndex> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan TrimPeriod = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, long> _heard = new(StringComparer.Ordinal);

    /// <summary>The relay heard from <paramref name="host"/> at <paramref name="receivedAt"/>.</summary>
    public void Heard(string host, DateTimeOffset receivedAt) => _heard[host] = receivedAt.ToUnixTimeMilliseconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var lastTrim = long.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                var trim = now.ToUnixTimeMilliseconds() - lastTrim >= TrimPeriod.TotalMilliseconds;
                if (await TryWriteAsync(now, trim) && trim) lastTrim = now.ToUnixTimeMilliseconds();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryWriteAsync(DateTimeOffset now, bool trim)
    {
        if (_heard.IsEmpty && !trim) return true;
        var entries = new List<SortedSetEntry>(_heard.Count);
        foreach (var host in _heard.Keys)
        {
            if (_heard.TryRemove(host, out var at)) entries.Add(new SortedSetEntry(host, at));
        }
        if (!redis.IsConnected) return false; // what was heard meanwhile is stale by the time Redis is back; the next samples come
        try
        {
            var db = redis.GetDatabase();
            if (entries.Count > 0) await db.SortedSetAddAsync(names.Hosts, [.. entries], SortedSetWhen.GreaterThan);
            if (trim) await db.SortedSetRemoveRangeByScoreAsync(names.Hosts, double.NegativeInfinity, (now - HostBoardLoader.Forget).ToUnixTimeMilliseconds(), Exclude.Stop);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogWriteFailed(logger, e.Message);
            return false;
        }
    }

    [LoggerMessage(4201, LogLevel.Debug, "Cannot update the hosts index in Redis: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string reason);
}
