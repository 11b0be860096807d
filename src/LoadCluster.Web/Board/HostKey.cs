namespace LoadCluster.Web.Board;

/// <summary>
/// What the overview sorts and filters on, for one host: small, no history. <see cref="Version"/>
/// grows whenever anything the host's row shows changes, so a push can tell what a client lacks.
/// </summary>
/// <param name="NameRank">The host's place in name order among all hosts (0-based).</param>
public readonly record struct HostKey(
    string Name, int NameRank, HostState State, double Load1, double Load5, double Load15, int Cores,
    double Cpu, double MemoryPercent, long Version)
{
    public double LoadPerCore => Cores > 0 ? Load1 / Cores : 0;
}
