namespace LoadCluster.Collector.Proc;

/// <summary>Cumulative ticks of one CPU line: all time, and idle time (idle + iowait).</summary>
public readonly record struct CpuCounter(ulong Total, ulong Idle);
