using LoadCluster.Web.Board;

namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>The fleet's totals counted the slow way, host by host: what the board's running sums must equal.</summary>
internal static class Recount
{
    /// <summary>Sums the hosts that are not offline (an offline host's last numbers are history, not load).</summary>
    public static ClusterTotals Of(IReadOnlyCollection<HostSnapshot> hosts)
    {
        int live = 0, stale = 0, offline = 0, cores = 0;
        double load1 = 0, load5 = 0, load15 = 0, busyCores = 0;
        long memUsed = 0, memTotal = 0;
        foreach (var h in hosts)
        {
            switch (h.State)
            {
                case HostState.Live: live++; break;
                case HostState.Stale: stale++; break;
                default: offline++; continue;
            }
            var s = h.Latest;
            cores += s.Cores;
            load1 += s.Load1;
            load5 += s.Load5;
            load15 += s.Load15;
            busyCores += s.Cpu / 100 * s.Cores;
            memUsed += s.MemUsed;
            memTotal += s.MemTotal;
        }
        var cpu = cores > 0 ? 100 * busyCores / cores : 0;
        return new ClusterTotals(hosts.Count, live, stale, offline, cores, load1, load5, load15, cpu, memUsed, memTotal);
    }
}
