using LoadCluster.Collector;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.FleetSimulator;

/// <summary>
/// Writes every host's full retention before the live run: a raw history's worth of samples through
/// the collector's own writes (<see cref="SampleWrites"/>), the downsampled levels filled back to
/// their span, and the hosts index (which the replicas load from at start). A benchmark run of a
/// minute then measures Redis and the replicas as they are after a fleet has run for a day.
/// </summary>
internal static class Backfill
{
    private const int HostsPerBatch = 20;

    /// <param name="start">The time of each host's first raw sample: a raw history before now.</param>
    public static async Task RunAsync(IDatabase db, RedisNames names, SampleRetention retention, SimulatedHost[] hosts, byte[][] infos,
        long start, long intervalMs)
    {
        for (var first = 0; first < hosts.Length; first += HostsPerBatch)
        {
            var batch = db.CreateBatch();
            var writes = new List<Task>();
            for (var i = first; i < Math.Min(hosts.Length, first + HostsPerBatch); i++)
            {
                var host = hosts[i];
                long last = 0;
                for (var k = 0; k < retention.HistoryLength; k++)
                {
                    if (host.Next(start + k * intervalMs, (int)intervalMs) is not { } sample) continue;
                    (RollupLevel, RollupPoint)[] closed = [.. last == 0 ? Older(sample) : [], .. host.Rollups.Pending];
                    writes.AddRange(SampleWrites.Queue(batch, names, retention, sample, hosts[i].Slot, infos[i], closed, sizeRings: hosts[i].Slot++ == 0));
                    host.Rollups.Written(host.Rollups.Pending.ToArray());
                    last = sample.Ts;
                }
                if (last > 0) writes.Add(batch.SortedSetAddAsync(names.Hosts, host.Name, last));
            }
            batch.Execute();
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    // Each level's buckets before the first raw sample's, at that sample's values.
    private static IEnumerable<(RollupLevel, RollupPoint)> Older(Sample first) =>
        RollupLevel.All.SelectMany(level => Enumerable.Range(1, level.Points).Reverse().Select(k =>
            (level, new RollupPoint(level.BucketOf(first.Ts) - k * (long)level.Bucket.TotalMilliseconds, first.Load1, first.Load5, first.Load15, first.Cpu, first.Load1, 1))));
}
