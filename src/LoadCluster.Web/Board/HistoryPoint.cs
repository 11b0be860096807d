namespace LoadCluster.Web.Board;

/// <summary>One point of a host's history, kept small: the charts need nothing else.</summary>
public readonly record struct HistoryPoint(long Ts, double Load1, double Load5, double Load15, double Cpu);
