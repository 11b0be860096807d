using LoadCluster.Samples;

namespace LoadCluster.Testing;

/// <summary>Valid samples for tests, with only what a test cares about spelled out.</summary>
public static class TestSamples
{
    public static Sample Of(string host, double load1 = 0.5, int cores = 2, long? ts = null, int? intervalMs = 1000, double cpu = 25) => new()
    {
        Host = host,
        Ts = ts ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Load1 = load1,
        Load5 = load1 * 0.9,
        Load15 = load1 * 0.8,
        Cores = cores,
        Cpu = cpu,
        PerCore = [.. Enumerable.Repeat(cpu, cores)],
        MemUsed = 1L << 30,
        MemTotal = 4L << 30,
        Uptime = 3600,
        Runnable = 1,
        Tasks = 200,
        IntervalMs = intervalMs,
    };
}
