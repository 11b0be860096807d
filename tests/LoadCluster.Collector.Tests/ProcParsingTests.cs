using LoadCluster.Collector.Proc;

namespace LoadCluster.Collector.Tests;

public sealed class ProcParsingTests
{
    [Fact]
    public void Loadavg_fixture_gives_the_three_loads_and_runnable_and_total_tasks()
    {
        var load = LoadAvg.Parse(Fixture.Text(Fixture.Real, "loadavg"));
        Assert.Equal(new LoadAvg(23.78, 9.63, 3.68, 19, 436), load);
    }

    [Fact]
    public void Stat_fixture_gives_the_all_cores_line_and_one_counter_per_core()
    {
        var times = CpuTimes.Parse(Fixture.Text(Fixture.Real, "stat"));
        // total = user+nice+system+idle+iowait+irq+softirq+steal; idle = idle+iowait
        Assert.Equal(new CpuCounter(123616, 66672), times.All);
        Assert.Equal([new CpuCounter(61807, 34245), new CpuCounter(61805, 32426)], times.PerCore);
    }

    [Fact]
    public void Cpu_usage_without_a_previous_reading_is_the_average_since_boot()
    {
        var usage = CpuUsage.Between(null, CpuTimes.Parse(Fixture.Text(Fixture.Real, "stat")));
        Assert.Equal(46.07, usage.All);
        Assert.Equal([44.59, 47.53], usage.PerCore);
    }

    [Fact]
    public void Cpu_usage_between_two_real_readings_comes_from_the_deltas()
    {
        // The VM was saturated by builds during that second: idle and iowait did not move.
        var usage = CpuUsage.Between(CpuTimes.Parse(Fixture.Text(Fixture.Real, "stat")), CpuTimes.Parse(Fixture.Text(Fixture.Real, "stat.later")));
        Assert.Equal(100, usage.All);
        Assert.Equal([100.0, 100.0], usage.PerCore);
    }

    [Fact]
    public void Cpu_usage_counts_iowait_as_idle_and_steal_as_busy()
    {
        var before = CpuTimes.Parse("cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\ncpu1 50 0 50 400 0 0 0 0 0 0\n");
        // all: +50 user, +150 idle, +50 iowait, +50 steal = 300 ticks, 100 busy
        // cpu0: +50 user, +50 idle = 50 % ; cpu1: +100 idle, +50 iowait, +50 steal = 25 %
        var after = CpuTimes.Parse("cpu  150 0 100 950 50 0 0 50 0 0\ncpu0 100 0 50 450 0 0 0 0 0 0\ncpu1 50 0 50 500 50 0 0 50 0 0\n");
        var usage = CpuUsage.Between(before, after);
        Assert.Equal(33.33, usage.All);
        Assert.Equal([50.0, 25.0], usage.PerCore);
    }

    [Fact]
    public void Cpu_usage_is_zero_when_no_tick_passed_and_clamped_when_a_counter_steps_back()
    {
        var times = CpuTimes.Parse("cpu  100 0 100 800 10 0 0 0\ncpu0 100 0 100 800 10 0 0 0\n");
        Assert.Equal(0, CpuUsage.Between(times, times).All);
        var iowaitBack = CpuTimes.Parse("cpu  110 0 100 800 5 0 0 0\ncpu0 110 0 100 800 5 0 0 0\n");
        Assert.Equal(100, CpuUsage.Between(times, iowaitBack).All);
    }

    [Fact]
    public void Cpu_usage_falls_back_to_since_boot_when_the_number_of_cores_changes()
    {
        var two = CpuTimes.Parse("cpu  100 0 0 100 0\ncpu0 50 0 0 50 0\ncpu1 50 0 0 50 0\n");
        var one = CpuTimes.Parse("cpu  300 0 0 100 0\ncpu0 300 0 0 100 0\n");
        var usage = CpuUsage.Between(two, one);
        Assert.Equal(75, usage.All);
        Assert.Equal([75.0], usage.PerCore);
    }

    [Fact]
    public void Old_kernels_stat_lines_with_four_counters_parse()
    {
        var times = CpuTimes.Parse("cpu 1 2 3 4\ncpu0 1 2 3 4\n");
        Assert.Equal(new CpuCounter(10, 4), times.All);
    }

    [Fact]
    public void Meminfo_fixture_gives_total_and_used_in_bytes()
    {
        var memory = MemInfo.Parse(Fixture.Text(Fixture.Real, "meminfo"));
        Assert.Equal(24684092L * 1024, memory.Total);
        Assert.Equal(23105108L * 1024, memory.Available);
        Assert.Equal((24684092L - 23105108L) * 1024, memory.Used);
    }

    [Fact]
    public void Uptime_fixture_gives_seconds_since_boot()
    {
        Assert.Equal(621.60, Uptime.Parse(Fixture.Text(Fixture.Real, "uptime")));
    }

    [Theory]
    [InlineData("loadavg", "5-minute load 'abc' is not a number")]
    [InlineData("stat", "no 'cpu' line")]
    [InlineData("meminfo", "no MemAvailable line")]
    [InlineData("uptime", "uptime '-5.00' is not a number of seconds >= 0")]
    public void Malformed_file_is_an_error_naming_the_file_and_the_problem(string name, string problem)
    {
        var reader = new ProcReader(Fixture.Malformed);
        Action read = name switch
        {
            "loadavg" => () => reader.ReadLoadAvg(),
            "stat" => () => reader.ReadStat(),
            "meminfo" => () => reader.ReadMemInfo(),
            _ => () => reader.ReadUptime(),
        };
        var error = Assert.Throws<ProcFileException>(read);
        Assert.Equal(Path.Combine(Fixture.Malformed, name), error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(error.FilePath, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.1 0.2 0.3")]
    [InlineData("0.1 0.2 0.3 12 99")]
    [InlineData("0.1 0.2 0.3 x/12 99")]
    public void Truncated_or_garbled_loadavg_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => LoadAvg.Parse(text));
    }

    [Theory]
    [InlineData("cpu  1 2 3 4\n")]
    [InlineData("cpu  1 2 3\ncpu0 1 2 3\n")]
    [InlineData("cpu  1 2 x 4\ncpu0 1 2 3 4\n")]
    public void Stat_without_core_lines_or_with_bad_counters_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => CpuTimes.Parse(text));
    }

    [Theory]
    [InlineData("MemAvailable: 10 kB\n")]
    [InlineData("MemTotal: 10 kB\nMemAvailable: 20 kB\n")]
    [InlineData("MemTotal: ten kB\nMemAvailable: 1 kB\n")]
    public void Meminfo_without_total_or_with_impossible_values_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => MemInfo.Parse(text));
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_file()
    {
        using var _ = new TempFolder(out var dir);
        var error = Assert.Throws<ProcFileException>(() => new ProcReader(dir).ReadMemInfo());
        Assert.Equal(Path.Combine(dir, "meminfo"), error.FilePath);
        Assert.Contains("file not found", error.Message, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("loadcluster-empty-");

        public TempFolder(out string path) => path = _dir.FullName;

        public void Dispose() => _dir.Delete(recursive: true);
    }
}
