namespace LoadCluster.Web.Overview;

/// <summary>The overview's sort columns; the names in <see cref="OverviewQuery"/> are the URL's.</summary>
public enum OverviewSort
{
    /// <summary>Worst first: offline, then stale, then live; within a state by load per core, highest first.</summary>
    Attention,
    Host,
    State,
    Load1,
    Load5,
    Load15,
    Cpu,
    Memory,
}
