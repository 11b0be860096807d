namespace LoadCluster.Collector;

/// <summary>Settings of section "Collector" (env <c>Collector__Host</c>, <c>Collector__Interval</c>, ...).</summary>
public sealed class CollectorOptions
{
    public const string Section = "Collector";

    /// <summary>Name this host's samples carry; defaults to the machine name.</summary>
    public string Host { get; set; } = Environment.MachineName;

    /// <summary>Time between samples, 100 ms to 1 h.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder holding the host's /proc files; /host/proc when a container mounts the host's /proc there.</summary>
    public string ProcPath { get; set; } = "/proc";

    /// <summary>File rewritten after every sample, for a container health check (env <c>Collector__HeartbeatFile</c>); none when empty.</summary>
    public string? HeartbeatFile { get; set; }

    /// <summary>How much history to keep per host in Redis, in minutes (10 to 1440).</summary>
    public int HistoryMinutes { get; set; } = 15;

    /// <summary>
    /// One sample in this many carries its trace to the web replicas (<see cref="SampleJourneys"/>);
    /// 0 for none (env <c>Collector__TraceEvery</c>). SIGUSR1 asks for the next one whatever this is.
    /// </summary>
    public int TraceEvery { get; set; } = 1000;

    /// <summary>Time to live of the latest sample and the collector record: a silent host disappears after it.</summary>
    public TimeSpan LatestTtl => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, Interval.Ticks * 10));

    /// <summary>Samples kept per host: <see cref="HistoryMinutes"/> worth at <see cref="Interval"/>.</summary>
    public int HistoryLength => (int)Math.Max(1, Math.Ceiling(TimeSpan.FromMinutes(HistoryMinutes) / Interval));
}
