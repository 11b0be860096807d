namespace LoadCluster.Web.Board;

/// <summary>The whole fleet in a few numbers, for the summary box on every page.</summary>
public sealed record ClusterTotals(
    int Hosts, int Live, int Stale, int Offline,
    int Cores, double Load1, double Load5, double Load15,
    double CpuPercent, long MemUsed, long MemTotal)
{
    public static readonly ClusterTotals Empty = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public LoadLevel Level => LoadLevels.Of(Load1, Cores);

    public double MemoryPercent => MemTotal > 0 ? 100.0 * MemUsed / MemTotal : 0;
}
