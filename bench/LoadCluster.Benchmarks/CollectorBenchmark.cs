using System.Diagnostics;
using System.Globalization;
using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// The collector's footprint against its targets (issue: binary ≤ 20 MB, RSS ≤ 20 MB after an
/// hour's worth of samples, ≤ 0.2 % of a core at a 1 s interval, start to first sample ≤ 1 s), on
/// the Native AOT executable <c>packaging/deb/build.sh</c> publishes, against a redis-server of its own:
/// <list type="number">
/// <item>start to first sample: from process start to its first sample on the samples channel, as a board receives it; several starts;</item>
/// <item>CPU at a 1 s interval: user + system time over a window after a warm-up, as % of one core;</item>
/// <item>RSS after 3,600 samples (an hour at 1 s) taken at the shortest interval, 100 ms, so it takes 6 minutes.</item>
/// </list>
/// Usage: collector [--binary PATH] [--starts 5] [--cpu-seconds 60] [--samples 3600]
/// </summary>
internal static class CollectorBenchmark
{
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var binary = Option(args, "--binary") ?? Path.Combine(Checkout.Root, "artifacts", "collector", "linux-x64", "LoadCluster.Collector");
        var starts = int.Parse(Option(args, "--starts") ?? "5", CultureInfo.InvariantCulture);
        var cpuSeconds = int.Parse(Option(args, "--cpu-seconds") ?? "60", CultureInfo.InvariantCulture);
        var samples = int.Parse(Option(args, "--samples") ?? "3600", CultureInfo.InvariantCulture);
        if (!File.Exists(binary))
        {
            await Console.Error.WriteLineAsync($"{binary} is not built: run 'bash packaging/deb/build.sh' (or pass --binary PATH)");
            return 2;
        }
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"load average before: {Machine.LoadAverage()}");
        Console.WriteLine($"binary: {binary}");

        await using var redis = await RedisProcess.StartAsync();
        using var observer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var received = new ReceivedSamples();
        // A pattern that covers the one samples channel and one channel per host alike.
        await observer.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("loadcluster:samples*"), (_, message) => received.Add(message!));

        var firstSample = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var host = $"bench-start-{i}";
            var clock = Stopwatch.StartNew();
            await using var collector = Start(binary, redis, host, "00:00:01");
            await received.WaitAsync(host, 1, TimeSpan.FromSeconds(10));
            firstSample.Add(clock.Elapsed.TotalMilliseconds);
        }

        double cpuPercent;
        long rssAtOneSecond;
        {
            await using var collector = Start(binary, redis, "bench-cpu", "00:00:01");
            await received.WaitAsync("bench-cpu", 1, TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(5));
            var before = ChildProcess.CpuTime(collector.Id);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(cpuSeconds));
            cpuPercent = (ChildProcess.CpuTime(collector.Id) - before).TotalSeconds / clock.Elapsed.TotalSeconds * 100;
            rssAtOneSecond = ChildProcess.Rss(collector.Id);
        }

        long rssFirst, rssAfter, peak, anonymous, fileBacked;
        TimeSpan took;
        {
            await using var collector = Start(binary, redis, "bench-hour", "00:00:00.1");
            await received.WaitAsync("bench-hour", 1, TimeSpan.FromSeconds(10));
            rssFirst = ChildProcess.Rss(collector.Id);
            var clock = Stopwatch.StartNew();
            await received.WaitAsync("bench-hour", samples, TimeSpan.FromSeconds(samples * 0.1 * 3));
            took = clock.Elapsed;
            rssAfter = ChildProcess.Rss(collector.Id);
            peak = Kib(collector.Id, "VmHWM:") * 1024;
            // The process's own memory (GC heap, runtime data, stacks) apart from the pages of the
            // executable and libraries it maps from the page cache (shared, and reclaimable by the kernel).
            anonymous = Kib(collector.Id, "RssAnon:") * 1024;
            fileBacked = Kib(collector.Id, "RssFile:") * 1024;
        }

        firstSample.Sort();
        var size = new FileInfo(binary).Length;
        Console.WriteLine();
        Console.WriteLine($"{"figure",-44} {"measured",22} {"target",10}");
        Console.WriteLine($"{"binary size",-44} {$"{size / MiB:0.0} MiB ({size:N0} B)",22} {"≤ 20 MB",10}");
        Console.WriteLine($"{$"start to first sample, {starts} starts (median / max)",-44} {$"{firstSample[firstSample.Count / 2]:0} / {firstSample[^1]:0} ms",22} {"≤ 1 s",10}");
        Console.WriteLine($"{$"CPU at a 1 s interval, over {cpuSeconds} s",-44} {$"{cpuPercent:0.000} % of a core",22} {"≤ 0.2 %",10}");
        Console.WriteLine($"{$"RSS at a 1 s interval, after {cpuSeconds + 5} s",-44} {$"{rssAtOneSecond / MiB:0.0} MiB",22} {"",10}");
        Console.WriteLine($"{"RSS after its first sample",-44} {$"{rssFirst / MiB:0.0} MiB",22} {"",10}");
        Console.WriteLine($"{$"RSS after {samples} more samples ({took.TotalMinutes:0.0} min at 100 ms)",-44} {$"{rssAfter / MiB:0.0} MiB (peak {peak / MiB:0.0})",22} {"≤ 20 MB",10}");
        Console.WriteLine($"{"  of which anonymous / file-backed",-44} {$"{anonymous / MiB:0.0} / {fileBacked / MiB:0.0} MiB",22} {"",10}");
        Console.WriteLine($"load average after: {Machine.LoadAverage()}");
        return 0;
    }

    private static ChildProcess Start(string binary, RedisProcess redis, string host, string interval) =>
        // An empty environment file: only what is given here counts, whatever this machine has in /etc/loadcluster.
        ChildProcess.Start(binary, ["--env-file", "/dev/null"], new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redis.ConnectionString,
            ["Collector__Host"] = host,
            ["Collector__Interval"] = interval,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        });

    private static long Kib(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>Samples seen per host, by their <c>"host"</c> field.</summary>
    private sealed class ReceivedSamples
    {
        private readonly Dictionary<string, int> _counts = [];

        public void Add(string json)
        {
            var start = json.IndexOf("\"host\":\"", StringComparison.Ordinal) + 8;
            var host = json[start..json.IndexOf('"', start)];
            lock (_counts) _counts[host] = _counts.GetValueOrDefault(host) + 1;
        }

        public async Task WaitAsync(string host, int count, TimeSpan timeout)
        {
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; await Task.Delay(5))
                lock (_counts) if (_counts.GetValueOrDefault(host) >= count) return;
            throw new TimeoutException($"{host}: fewer than {count} samples within {timeout.TotalSeconds:0} s");
        }
    }
}
