namespace LoadCluster.Samples;

/// <summary>
/// One downsampled point of a host's long history: the averages of every sample whose time fell in
/// the bucket starting at <see cref="Ts"/>, and the highest load 1 among them.
/// </summary>
public sealed record RollupPoint(long Ts, double Load1, double Load5, double Load15, double Cpu, double Load1Max, int Samples)
{
    /// <summary>The point as stored and drawn: the bucket's averages (the peak and count stay with the collector).</summary>
    public HistoryPoint ToHistoryPoint() => new(Ts, Load1, Load5, Load15, Cpu);
}
