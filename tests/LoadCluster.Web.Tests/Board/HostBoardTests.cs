using LoadCluster.Samples;
using LoadCluster.Web.Board;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Tests.Board;

public sealed class HostBoardTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HostBoard _board;

    public HostBoardTests() =>
        _board = new HostBoard(_time, Options.Create(new LoadBoardOptions { OfflineAfter = TimeSpan.FromSeconds(60), HistoryPoints = 10 }));

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public void A_host_goes_stale_after_three_intervals_and_offline_after_the_limit()
    {
        _board.Apply(TestSamples.Of("a", ts: Now, intervalMs: 1000), _time.GetUtcNow());
        Assert.Equal(HostState.Live, _board.Get("a")!.State);

        _time.Advance(TimeSpan.FromMilliseconds(2900));
        Assert.Equal(HostState.Live, _board.Get("a")!.State);

        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(HostState.Stale, _board.Get("a")!.State);

        _time.Advance(TimeSpan.FromSeconds(57));
        Assert.Equal(HostState.Offline, _board.Get("a")!.State);
    }

    [Fact]
    public void Staleness_follows_the_collectors_interval_and_defaults_to_one_second()
    {
        _board.Apply(TestSamples.Of("slow", ts: Now, intervalMs: 5000), _time.GetUtcNow());
        _board.Apply(TestSamples.Of("unknown", ts: Now, intervalMs: null), _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(HostState.Live, _board.Get("slow")!.State);
        Assert.Equal(HostState.Stale, _board.Get("unknown")!.State);
    }

    [Fact]
    public void Staleness_is_judged_on_receive_time_not_the_collectors_clock()
    {
        // A collector whose clock is an hour behind is still live while its samples keep arriving.
        _board.Apply(TestSamples.Of("skewed", ts: Now - 3_600_000), _time.GetUtcNow());

        Assert.Equal(HostState.Live, _board.Get("skewed")!.State);
    }

    [Fact]
    public void Each_transition_is_reported_once()
    {
        _board.Apply(TestSamples.Of("a", ts: Now), _time.GetUtcNow());
        Assert.Empty(_board.TakeTransitions());

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(["a"], _board.TakeTransitions());
        Assert.Empty(_board.TakeTransitions());

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["a"], _board.TakeTransitions());

        // A new sample makes it live again; that sample's own push reports it, so no transition.
        _board.Apply(TestSamples.Of("a", ts: Now), _time.GetUtcNow());
        Assert.Equal(HostState.Live, _board.Get("a")!.State);
        Assert.Empty(_board.TakeTransitions());
    }

    [Fact]
    public void Older_and_repeated_samples_are_ignored()
    {
        Assert.Equal(ApplyResult.NewHost, _board.Apply(TestSamples.Of("a", load1: 1, ts: 2000), _time.GetUtcNow()));
        Assert.Equal(ApplyResult.Ignored, _board.Apply(TestSamples.Of("a", load1: 9, ts: 2000), _time.GetUtcNow()));
        Assert.Equal(ApplyResult.Ignored, _board.Apply(TestSamples.Of("a", load1: 9, ts: 1000), _time.GetUtcNow()));
        Assert.Equal(ApplyResult.Updated, _board.Apply(TestSamples.Of("a", load1: 2, ts: 3000), _time.GetUtcNow()));

        Assert.Equal(2, _board.Get("a")!.Latest.Load1);
        Assert.Equal([1.0, 2.0], _board.Get("a")!.History.Select(p => p.Load1));
    }

    [Fact]
    public void History_is_bounded_and_oldest_first()
    {
        for (var i = 1; i <= 25; i++) _board.Apply(TestSamples.Of("a", load1: i, ts: i * 1000L), _time.GetUtcNow());

        var history = _board.Get("a")!.History;
        Assert.Equal(10, history.Count);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (double)i), history.Select(p => p.Load1));
        Assert.Equal([24.0, 25.0], _board.Get("a", history: 2)!.History.Select(p => p.Load1));
    }

    [Fact]
    public void The_history_kept_packed_shows_what_each_sample_showed()
    {
        var random = new Random(25);
        var samples = Enumerable.Range(0, 10).Select(i => TestSamples.Of("packed", ts: Now + i * 1000L) with
        {
            Load1 = random.NextDouble() * 300, Load5 = random.NextDouble() * 30, Load15 = Math.Round(random.NextDouble() * 3, 2), Cpu = random.NextDouble() * 100,
        }).ToList();
        foreach (var sample in samples) _board.Apply(sample, _time.GetUtcNow());

        var history = _board.Get("packed")!.History;

        Assert.Equal(samples.Select(s => s.Ts), history.Select(p => p.Ts));
        Assert.Equal(samples.Select(s => Shown(s.Load1, s.Load5, s.Load15)), history.Select(p => Shown(p.Load1, p.Load5, p.Load15)));
        Assert.All(samples.Zip(history), pair => Assert.Equal(pair.First.Cpu, pair.Second.Cpu, 0.005));
    }

    private static string Shown(double load1, double load5, double load15) =>
        $"{LoadCluster.Web.Components.Format.Load(load1)} {LoadCluster.Web.Components.Format.Load(load5)} {LoadCluster.Web.Components.Format.Load(load15)}";

    [Fact]
    public void Hosts_are_listed_by_name()
    {
        foreach (var name in new[] { "c", "a", "b" }) _board.Apply(TestSamples.Of(name, ts: Now), _time.GetUtcNow());

        Assert.Equal(["a", "b", "c"], _board.All().Select(h => h.Name));
    }

    [Fact]
    public void A_host_loaded_from_redis_silent_past_offline_after_is_offline_until_it_reports()
    {
        var last = TestSamples.Of("gone", ts: Now - 90_000);
        _board.Seed(last, [new HistoryPoint(Now - 91_000, 0, 0, 0, 0).Pack(), HistoryPoint.Of(last).Pack()]);

        Assert.Equal(HostState.Offline, _board.Get("gone")!.State);
        Assert.Equal(2, _board.Get("gone")!.History.Count);

        _board.Apply(TestSamples.Of("gone", ts: Now), _time.GetUtcNow());
        Assert.Equal(HostState.Live, _board.Get("gone")!.State);
    }

    [Fact]
    public void Loading_from_redis_never_replaces_newer_data()
    {
        _board.Apply(TestSamples.Of("a", load1: 5, ts: Now), _time.GetUtcNow());

        _board.Seed(TestSamples.Of("a", load1: 1, ts: Now - 1000), []);

        Assert.Equal(5, _board.Get("a")!.Latest.Load1);
    }

    [Fact]
    public void A_host_the_relay_applied_before_it_was_loaded_keeps_its_sample_and_gains_the_loaded_past()
    {
        // The relay subscribes before the loader reads Redis, so a host's next sample may come first.
        _board.Apply(TestSamples.Of("a", load1: 5, ts: Now), _time.GetUtcNow());
        var version = _board.Keys().Keys.Single().Version;

        _board.Seed(TestSamples.Of("a", load1: 1, ts: Now - 1000), [Point(Now - 3000), Point(Now - 2000), Point(Now - 1000)]);

        var host = _board.Get("a")!;
        Assert.Equal(5, host.Latest.Load1);
        Assert.Equal([Now - 3000, Now - 2000, Now - 1000, Now], host.History.Select(p => p.Ts));
        Assert.True(_board.Keys().Keys.Single().Version > version);
    }

    [Fact]
    public void A_host_loaded_newer_than_the_relay_has_it_keeps_the_points_the_relay_applied()
    {
        _board.Apply(TestSamples.Of("a", load1: 5, ts: Now - 3000), _time.GetUtcNow());

        _board.Seed(TestSamples.Of("a", load1: 1, ts: Now), [Point(Now - 4000), Point(Now - 2000)]);

        var host = _board.Get("a")!;
        Assert.Equal(1, host.Latest.Load1);
        Assert.Equal([Now - 4000, Now - 3000, Now - 2000, Now], host.History.Select(p => p.Ts));
        Assert.Equal((1, 1.0), (_board.Totals().Hosts, _board.Totals().Load1));
    }

    [Fact]
    public void A_loaded_host_keeps_the_newest_points_up_to_its_latest_sample()
    {
        // HistoryPoints is 10 here; the ring in Redis may hold a point newer than the latest key read with it.
        var latest = TestSamples.Of("a", load1: 2, ts: Now - 5000);

        _board.Seed(latest, [.. Enumerable.Range(0, 21).Select(i => Point(Now - 20_000 + i * 1000))]);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => Now - 14_000 + i * 1000L), _board.Get("a")!.History.Select(p => p.Ts));
        Assert.Equal(2, _board.Get("a")!.History[^1].Load1);
    }

    private static UInt128 Point(long ts) => new HistoryPoint(ts, 0, 0, 0, 0).Pack();

    [Fact]
    public void Totals_add_up_live_and_stale_hosts()
    {
        _board.Apply(TestSamples.Of("a", load1: 1, cores: 2, ts: Now, cpu: 50), _time.GetUtcNow());
        _board.Apply(TestSamples.Of("b", load1: 2, cores: 6, ts: Now, cpu: 10), _time.GetUtcNow());

        var totals = _board.Totals();

        Assert.Equal((2, 2, 8, 3.0), (totals.Hosts, totals.Live, totals.Cores, totals.Load1));
        Assert.Equal(20, totals.CpuPercent, 3); // (1 busy core + 0.6) of 8
    }

    [Fact]
    public void Running_totals_equal_a_full_recount_after_samples_state_changes_and_reloads()
    {
        var random = new Random(7);
        for (var step = 0; step < 500; step++)
        {
            var host = $"h{random.Next(20)}";
            _board.Apply(TestSamples.Of(host, load1: random.NextDouble() * 8, cores: 1 + random.Next(16), ts: Now + step, cpu: random.Next(101)), _time.GetUtcNow());
            if (step % 50 == 0)
            {
                _time.Advance(TimeSpan.FromSeconds(random.Next(1, 90)));
                _board.TakeTransitions();
            }
            if (step % 97 == 0) _board.Seed(TestSamples.Of("seeded", load1: step, ts: Now + step), []);
        }
        _board.TakeTransitions();

        var recount = Recount.Of(_board.All(history: 0));
        var totals = _board.Totals();
        Assert.Equal((recount.Hosts, recount.Live, recount.Stale, recount.Offline, recount.Cores), (totals.Hosts, totals.Live, totals.Stale, totals.Offline, totals.Cores));
        Assert.Equal(recount.Load1, totals.Load1, 2);
        Assert.Equal(recount.CpuPercent, totals.CpuPercent, 2);
        Assert.Equal(recount.MemUsed, totals.MemUsed);
    }

    [Fact]
    public void A_host_version_grows_with_each_change_and_a_new_host_moves_the_list_version()
    {
        _board.Apply(TestSamples.Of("a", ts: Now), _time.GetUtcNow());
        var (keys, list) = _board.Keys();
        var first = keys.Single().Version;

        _board.Apply(TestSamples.Of("a", ts: Now + 1), _time.GetUtcNow());
        Assert.True(_board.Keys().Keys.Single().Version > first);
        Assert.Equal(list, _board.Keys().ListVersion);

        _board.Apply(TestSamples.Of("0-first", ts: Now), _time.GetUtcNow());
        Assert.True(_board.Keys().ListVersion > list);
        Assert.Equal(["0-first", "a"], _board.Keys().Keys.Select(k => k.Name));
        Assert.Equal([0, 1], _board.Keys().Keys.Select(k => k.NameRank));
    }
}
