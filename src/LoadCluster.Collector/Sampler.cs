using LoadCluster.Collector.Proc;
using LoadCluster.Samples;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector;

/// <summary>
/// Turns the /proc files into a <see cref="Sample"/>. Keeps the previous /proc/stat reading, since
/// CPU busy percentages are differences between two readings (the first reading's are the averages
/// since boot). Used from one thread at a time.
/// </summary>
public sealed class Sampler(ProcReader proc, IOptions<CollectorOptions> options, TimeProvider time)
{
    private readonly CollectorOptions _options = options.Value;
    private CpuTimes? _previous;

    public Sample Read()
    {
        var load = proc.ReadLoadAvg();
        var cpuTimes = proc.ReadStat();
        var memory = proc.ReadMemInfo();
        var uptime = proc.ReadUptime();
        var cpu = CpuUsage.Between(_previous, cpuTimes);
        _previous = cpuTimes;
        return new Sample
        {
            Host = _options.Host,
            Ts = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Load1 = load.Load1,
            Load5 = load.Load5,
            Load15 = load.Load15,
            Cores = cpu.PerCore.Length,
            Cpu = cpu.All,
            PerCore = cpu.PerCore,
            MemUsed = memory.Used,
            MemTotal = memory.Total,
            Uptime = uptime,
            Runnable = load.Runnable,
            Tasks = load.Tasks,
            IntervalMs = (int)_options.Interval.TotalMilliseconds,
        };
    }
}
