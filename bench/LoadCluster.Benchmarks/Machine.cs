using System.Globalization;
using System.Runtime.InteropServices;

namespace LoadCluster.Benchmarks;

/// <summary>What the figures were measured on, printed with every table (figures from a shared 2-core machine are noisy).</summary>
internal static class Machine
{
    public static string Describe()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.MachineName}: {Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1048576.0:0.0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Resident set size once it stops moving (the GC and the pools settle a few seconds after a burst).</summary>
    public static async Task<long> SettledRssAsync(int pid)
    {
        var last = ChildProcess.Rss(pid);
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = ChildProcess.Rss(pid);
            if (Math.Abs(now - last) < 256 * 1024) return now;
            last = now;
        }
        return last;
    }
}
