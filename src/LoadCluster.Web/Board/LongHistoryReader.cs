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
            var reads = RollupLevel.All.Select(l => (Level: l, Read: db.ListRangeAsync(names.Rollup(host, l), 0, l.Points - 1))).ToList();
            await Task.WhenAll(reads.Select(r => r.Read));
            foreach (var (level, read) in reads)
            {
                // Stored newest first; a chart reads oldest first. Elements that do not parse are skipped.
                result[level] = [.. read.Result.Select(v => RollupPoint.TryParse((string?)v)).OfType<RollupPoint>()
                    .OrderBy(p => p.Ts).Select(p => new HistoryPoint(p.Ts, p.Load1, p.Load5, p.Load15, p.Cpu))];
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            WebLog.LongHistoryFailed(logger, host, e.Message);
        }
        return result;
    }
}
