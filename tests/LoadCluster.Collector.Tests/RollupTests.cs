using LoadCluster.Samples;
using LoadCluster.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LoadCluster.Collector.Tests;

/// <summary>The downsampled history: how buckets fold samples, and its bounds in a real redis-server.</summary>
public sealed class RollupTests(ITestOutputHelper output)
{
    private static readonly long Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void A_bucket_closes_with_the_averages_and_the_peak_of_its_samples_when_the_next_one_starts()
    {
        var hour = new RollupAccumulator(RollupLevel.Hour);

        Assert.Null(hour.Add(TestSamples.Of("a", load1: 1, ts: Start, cpu: 10)));
        Assert.Null(hour.Add(TestSamples.Of("a", load1: 3, ts: Start + 5_000, cpu: 30)));
        Assert.Null(hour.Add(TestSamples.Of("a", load1: 9, ts: Start + 3_000))); // older: ignored
        var point = hour.Add(TestSamples.Of("a", load1: 7, ts: Start + 15_000));

        Assert.Equal(new RollupPoint(Start, 2, 1.8, 1.6, 20, 3, 2), point);
    }

    [Fact]
    public void Points_waiting_for_redis_are_capped()
    {
        var rollups = new HostRollups();
        for (var i = 0; i < 2 * HostRollups.MaxPending; i++) rollups.Add(TestSamples.Of("a", ts: Start + i * 15_000L));

        Assert.Equal(HostRollups.MaxPending, rollups.Pending.Count);
        rollups.Written(rollups.Pending.Take(10).ToArray());
        Assert.Equal(HostRollups.MaxPending - 10, rollups.Pending.Count);
    }

    [Fact]
    public void A_batch_in_flight_while_the_cap_trims_forgets_only_the_points_it_wrote()
    {
        var rollups = new HostRollups();
        var i = 0;
        while (rollups.Pending.Count < HostRollups.MaxPending) rollups.Add(TestSamples.Of("a", ts: Start + i++ * 15_000L));
        var inFlight = rollups.Pending.ToArray();

        // The next sample closes a bucket while the batch is out: the cap drops the oldest point, one in flight.
        rollups.Add(TestSamples.Of("a", ts: Start + i * 15_000L));
        var added = rollups.Pending.Except(inFlight).ToArray();
        Assert.NotEmpty(added);
        rollups.Written(inFlight);

        Assert.Equal(added, rollups.Pending);
    }

    [Fact]
    public async Task A_day_of_samples_leaves_each_level_at_its_points_with_a_ttl_in_rings_redis_holds_at_their_size()
    {
        await using var redis = await TestRedis.StartAsync();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var names = new RedisNames("rollup");
        var retention = new SampleRetention(TimeSpan.FromSeconds(30), 900, TimeSpan.FromMinutes(15));
        var rollups = new HostRollups();
        var info = new CollectorInfo("r-1", 1000, Start, 1, "test").ToJson();
        var db = connection.GetDatabase();

        // 25 hours at one sample per 15 s: more than either level keeps.
        for (var chunk = 0; chunk < 6000; chunk += 500)
        {
            var batch = db.CreateBatch();
            var writes = new List<Task>();
            for (var i = chunk; i < chunk + 500; i++)
            {
                rollups.Add(TestSamples.Of("r-1", load1: i % 7, ts: Start + i * 15_000L));
                var closed = rollups.Pending.ToArray();
                writes.AddRange(SampleWrites.Queue(batch, names, retention, TestSamples.Of("r-1", load1: i % 7, ts: Start + i * 15_000L), i, info, closed, sizeRings: i == 0));
                rollups.Written(closed);
            }
            batch.Execute();
            await Task.WhenAll(writes);
        }

        foreach (var level in RollupLevel.All)
        {
            var key = names.Rollup("r-1", level);
            var points = HistoryPoint.ReadAll((byte[])(await db.StringGetAsync(key))!);
            Assert.Equal(level.Points, points.Count);
            // The ring and the byte that sized it; grown a record at a time Redis would hold twice that.
            Assert.Equal(level.Points * HistoryPoint.Size + 1, await db.StringLengthAsync(key));
            Assert.InRange((long)await db.ExecuteAsync("MEMORY", "USAGE", key), 0, level.Points * HistoryPoint.Size * 5 / 4);
            Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, level.Span - TimeSpan.FromMinutes(1), level.Span);
            // The newest closed bucket is the one before the last sample's (still open) bucket, and the
            // ring holds the level's newest buckets, one per bucket time.
            var newest = level.BucketOf(Start + 5999 * 15_000L) - (long)level.Bucket.TotalMilliseconds;
            Assert.Equal(Enumerable.Range(0, level.Points).Select(k => newest - (level.Points - 1 - k) * (long)level.Bucket.TotalMilliseconds), points.Select(p => p.Ts));
            var bytes = (long)await db.ExecuteAsync("MEMORY", "USAGE", key);
            output.WriteLine($"{level.Name}: {level.Points} points, {bytes} bytes in Redis ({bytes * 5000 / 1048576.0:0.0} MiB at 5,000 hosts)");
        }
        var raw = (long)await db.ExecuteAsync("MEMORY", "USAGE", names.Recent("r-1"));
        Assert.Equal(900 * HistoryPoint.Size + 1, await db.StringLengthAsync(names.Recent("r-1")));
        Assert.InRange(raw, 0, 900 * HistoryPoint.Size * 5 / 4);
        output.WriteLine($"raw history: 900 points, {raw} bytes ({raw * 5000 / 1048576.0:0.0} MiB at 5,000 hosts)");
    }
}
