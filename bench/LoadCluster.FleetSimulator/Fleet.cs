using LoadCluster.Collector;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.FleetSimulator;

/// <summary>
/// Runs the simulated hosts: each samples once per interval at its own phase (real collectors are
/// not in step), and every 10 ms the hosts that are due write their samples in one batch, with
/// exactly the writes a collector makes (<see cref="SampleWrites"/>).
/// </summary>
internal sealed class Fleet(SimulatorOptions options, IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private long _published;
    private long _failed;

    public long Published => Interlocked.Read(ref _published);

    public long Failed => Interlocked.Read(ref _failed);

    public async Task RunAsync(CancellationToken ct)
    {
        var names = new RedisNames(options.Prefix);
        var intervalMs = (long)options.Interval.TotalMilliseconds;
        // The collector's own rule, so the simulated fleet's keys live exactly as a real one's.
        var retention = SampleRetention.Of(new CollectorOptions { Interval = options.Interval, HistoryMinutes = options.HistoryMinutes });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var random = new Random(42);
        var start = options.Backfill ? now - retention.HistoryLength * intervalMs : now;
        var hosts = Enumerable.Range(0, options.Hosts).Select(i => new SimulatedHost(options.HostName(i), start, options.Flaky)).ToArray();
        var infos = hosts.Select(h => new CollectorInfo(h.Name, (int)intervalMs, now, Environment.ProcessId, "simulator").ToJson()).ToArray();
        if (options.Backfill)
        {
            await Backfill.RunAsync(redis.GetDatabase(), names, retention, hosts, infos, start, intervalMs);
            Console.WriteLine($"backfilled {hosts.Length} hosts in {(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - now) / 1000.0:0.0} s");
            now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }
        var due = hosts.Select(_ => now + random.NextInt64(intervalMs)).ToArray();
        using var timer = new PeriodicTimer(Tick);
        var pending = new List<Task>();
        while (await timer.WaitForNextTickAsync(ct))
        {
            try
            {
                await TickAsync(hosts, due, infos, names, retention, intervalMs, pending);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis away or slow: the fleet goes on, as collectors do; what was not sent counts as failed.
                Interlocked.Increment(ref _failed);
            }
        }
    }

    private async Task TickAsync(SimulatedHost[] hosts, long[] due, byte[][] infos, RedisNames names, SampleRetention retention, long intervalMs, List<Task> pending)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = redis.GetDatabase().CreateBatch();
        var written = new List<(SimulatedHost Host, (RollupLevel, RollupPoint)[] Points, Task Writes)>();
        for (var i = 0; i < hosts.Length; i++)
        {
            if (due[i] > now) continue;
            // Catch up after a stall without a burst: one sample per host per tick at most.
            due[i] = Math.Max(due[i] + intervalMs, now - intervalMs + 1);
            if (hosts[i].Next(now, (int)intervalMs) is not { } sample) continue;
            var closed = hosts[i].Rollups.Pending.ToArray();
            written.Add((hosts[i], closed, Task.WhenAll(SampleWrites.Queue(batch, names, retention, sample, hosts[i].Slot, infos[i], closed, sizeRings: hosts[i].Slot++ == 0))));
        }
        if (written.Count == 0) return;
        batch.Execute();
        pending.Add(TrackAsync(written));
        // Redis slower than the fleet: wait for it rather than queue without bound.
        if (pending.Count > 50) await Task.WhenAny(pending);
        pending.RemoveAll(t => t.IsCompleted);
    }

    private async Task TrackAsync(List<(SimulatedHost Host, (RollupLevel, RollupPoint)[] Points, Task Writes)> written)
    {
        foreach (var (host, points, writes) in written)
        {
            try
            {
                await writes;
                host.Rollups.Written(points);
                Interlocked.Increment(ref _published);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
