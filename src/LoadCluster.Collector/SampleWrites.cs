using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>
/// The Redis writes that go with one sample, queued on a batch in this order: latest (kept as long
/// as the history, so a replica started later still lists a silent host, offline, with its past),
/// the sample's point in the recent-history ring (SETRANGE at its slot, with TTL), any closed
/// downsampled points in their levels' rings, the collector record, then PUBLISH on the host's own
/// channel, so a reader woken by the message finds the keys already updated. Only the host's own keys
/// (<see cref="RedisNames.HostKeys"/>): its Redis user may write nothing else, and read nothing, which
/// is why history is a ring written in place (no read-modify-write) rather than a list. The collector
/// uses it for its host, and the fleet simulator in bench/ for each of its hosts, so both leave Redis
/// exactly as a real fleet would.
/// </summary>
public static class SampleWrites
{
    // A byte past the last record: readers skip a partial record.
    private static readonly byte[] RingEnd = [0];

    /// <param name="slot">
    /// The sample's place in the recent ring, counted by the writer (one more per sample written, modulo
    /// the ring's length here): the ring then holds the newest <see cref="SampleRetention.HistoryLength"/>
    /// samples. Readers order points by time, so where a restarted writer starts only decides which old points go first.
    /// </param>
    /// <param name="sizeRings">
    /// Write one byte past the end of each ring first, so that a ring Redis does not hold yet is made at
    /// its full size at once: grown a record at a time, Redis allocates twice what it holds. The
    /// writers ask for it with their first write and their first after a failed one (Redis may be new).
    /// </param>
    public static List<Task> Queue(IBatch batch, RedisNames names, SampleRetention retention, Sample sample, long slot, byte[] collectorInfo,
        IEnumerable<(RollupLevel Level, RollupPoint Point)> closed, bool sizeRings = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(closed);
        RedisValue json = SampleJson.Serialize(sample);
        var host = sample.Host;
        var recent = names.Recent(host);
        var writes = new List<Task>(16);
        if (sizeRings)
        {
            writes.Add(batch.StringSetRangeAsync(recent, retention.HistoryLength * HistoryPoint.Size, RingEnd));
            foreach (var level in RollupLevel.All)
            {
                writes.Add(batch.StringSetRangeAsync(names.Rollup(host, level), level.Points * HistoryPoint.Size, RingEnd));
                writes.Add(batch.KeyExpireAsync(names.Rollup(host, level), level.Span));
            }
        }
        writes.AddRange(
        [
            batch.StringSetAsync(names.Latest(host), json, retention.HistoryTtl),
            batch.StringSetRangeAsync(recent, Math.Abs(slot % retention.HistoryLength) * HistoryPoint.Size, HistoryPoint.Of(sample).ToBytes()),
            batch.KeyExpireAsync(recent, retention.HistoryTtl),
        ]);
        foreach (var (level, point) in closed)
        {
            var key = names.Rollup(host, level);
            var bucket = point.Ts / (long)level.Bucket.TotalMilliseconds;
            writes.Add(batch.StringSetRangeAsync(key, Math.Abs(bucket % level.Points) * HistoryPoint.Size, point.ToHistoryPoint().ToBytes()));
            writes.Add(batch.KeyExpireAsync(key, level.Span));
        }
        writes.Add(batch.StringSetAsync(names.Collector(host), collectorInfo, retention.LatestTtl));
        // Relative: the connection adds names.ChannelPrefix (ConfigurationOptions.ChannelPrefix), as the services' does.
        writes.Add(batch.PublishAsync(RedisChannel.Literal(RedisNames.Samples(host)), json));
        return writes;
    }
}
