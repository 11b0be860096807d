using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Reads a host's downsampled history (kept in Redis by its collector, see <see cref="RollupLevel"/>)
/// for the host page's 1 h and 24 h charts. Read per page and per closed bucket, never held in the
/// replica, so a replica's memory does not grow with the history kept.
/// </summary>
internal sealed class LongHistoryReader(IConnectionMultiplexer redis, RedisNames names, ILogger<LongHistoryReader> logger)
{
    /// <summary>Each level's points, oldest first; empty where Redis has none or cannot be read.</summary>
    public async Task<IReadOnlyDictionary<RollupLevel, IReadOnlyList<HistoryPoint>>> ReadAsync(string host)
    {
        var result = RollupLevel.All.ToDictionary(l => l, _ => (IReadOnlyList<HistoryPoint>)[]);
        if (!HostName.IsValid(host) || !redis.IsConnected) return result;
        try
        {
            var db = redis.GetDatabase();
            var reads = RollupLevel.All.Select(l => (Level: l, Read: db.StringGetAsync(names.Rollup(host, l)))).ToList();
            await Task.WhenAll(reads.Select(r => r.Read));
            foreach (var (level, read) in reads)
            {
                // A ring: a slot not written since the level's span ago holds an older bucket (the host was away).
                var points = read.Result.IsNull ? [] : HistoryPoint.ReadAll((byte[])read.Result!);
                var since = points.Count == 0 ? 0 : points[^1].Ts - (long)level.Span.TotalMilliseconds;
                result[level] = [.. points.Where(p => p.Ts > since)];
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            WebLog.LongHistoryFailed(logger, host, e.Message);
        }
        return result;
    }
}
