using System.Text.Json;
using LoadCluster.Samples;
using LoadCluster.Testing;
using LoadCluster.Web.Board;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Board;

[Collection(WebAppCollection.Name)]
public sealed class StartupLoadTests
{
    private static readonly RedisNames Names = new();

    [Fact]
    public async Task A_new_replica_shows_hosts_and_history_from_redis_at_once()
    {
        await using var redis = await TestRedis.StartAsync();
        using (var seed = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var db = seed.GetDatabase();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // A live host: latest key and 30 points of history, in ring slots that do not follow time order.
            for (var i = 29; i >= 0; i--)
                await db.StringSetRangeAsync(Names.Recent("kept-1"), (i * 7 % 30) * HistoryPoint.Size, new HistoryPoint(now - i * 1000L, i / 10.0, 0, 0, 5).ToBytes());
            await db.StringSetAsync(Names.Latest("kept-1"), SampleJson.Serialize(TestSamples.Of("kept-1", load1: 0, ts: now)));
            await db.SortedSetAddAsync(Names.Hosts, "kept-1", now);
            // A host silent for two minutes: its latest sample is kept as long as its history.
            await db.StringSetAsync(Names.Latest("gone-1"), SampleJson.Serialize(TestSamples.Of("gone-1", ts: now - 120_000)));
            await db.SortedSetAddAsync(Names.Hosts, "gone-1", now - 120_000);
            // What an older release left: history as a list of sample JSONs (ignored, left to expire), and
            // a list where a ring is now expected (logged and skipped, not fatal).
            await db.ListLeftPushAsync("loadcluster:history:gone-1", SampleJson.Serialize(TestSamples.Of("gone-1", ts: now - 121_000)));
            await db.ListLeftPushAsync(Names.Recent("gone-1"), "not a ring");
        }

        await using var app = await WebApp.StartAsync(redis, "web-load");

        var json = await Wait.ForAsync(() => app.Http.GetStringAsync("/api/hosts"),
            j => j.Contains("kept-1", StringComparison.Ordinal) && j.Contains("gone-1", StringComparison.Ordinal), "hosts loaded from Redis");
        var states = JsonDocument.Parse(json).RootElement.EnumerateArray()
            .ToDictionary(h => h.GetProperty("host").GetString()!, h => h.GetProperty("state").GetString());
        Assert.Equal("offline", states["gone-1"]);
        Assert.Contains(states["kept-1"], new[] { "live", "stale" }); // stale if this machine is slow to start

        var page = await app.Http.GetStringAsync("/hosts/kept-1");
        var points = System.Text.RegularExpressions.Regex.Match(page, "class=\"line-load1[^\"]*\" points=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(30, points.Split(' ').Length);
    }

    [Fact]
    public async Task A_new_replica_loads_every_host_of_a_fleet_read_in_several_round_trips_with_its_history()
    {
        const int hosts = 1201; // the loader reads 500 hosts at a time: two full reads and one of a single host
        await using var redis = await TestRedis.StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var seed = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var batch = seed.GetDatabase().CreateBatch();
            var writes = new List<Task>();
            for (var i = 0; i < hosts; i++)
            {
                var name = $"fleet-{i:0000}";
                // Three points, the newest the latest sample's, in ring slots out of time order.
                var ring = new byte[3 * HistoryPoint.Size];
                for (var k = 0; k < 3; k++) new HistoryPoint(now - k * 1000L, i / 100.0, 0, 0, 0).Write(ring.AsSpan(k * HistoryPoint.Size));
                writes.Add(batch.StringSetAsync(Names.Recent(name), ring));
                writes.Add(batch.StringSetAsync(Names.Latest(name), SampleJson.Serialize(TestSamples.Of(name, load1: i / 100.0, ts: now))));
                writes.Add(batch.SortedSetAddAsync(Names.Hosts, name, now));
            }
            batch.Execute();
            await Task.WhenAll(writes);
        }

        await using var app = await WebApp.StartAsync(redis, "web-fleet");

        // A host is seeded whole (its history with it), so once all are listed each has its own.
        var board = app.Services.GetRequiredService<HostBoard>();
        var all = await Wait.ForAsync(() => Task.FromResult(board.All()), a => a.Count == hosts, $"{hosts} hosts loaded");
        Assert.All(all, host =>
        {
            var load1 = int.Parse(host.Name["fleet-".Length..], System.Globalization.CultureInfo.InvariantCulture) / 100.0;
            Assert.Equal([now - 2000, now - 1000, now], host.History.Select(p => p.Ts));
            Assert.All(host.History, p => Assert.Equal(load1, p.Load1));
        });
    }
}
