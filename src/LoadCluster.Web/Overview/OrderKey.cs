using LoadCluster.Web.Board;

namespace LoadCluster.Web.Overview;

/// <summary>
/// A host's place in a sorted overview as one integer, computed from that host's own values only
/// (plus its place in name order, to break ties). The server sorts by it and each row carries it as
/// its CSS <c>order</c> (the table body is a flex column), so when one host's values change, only
/// that host's row is sent and the browser puts it in its place: no other row has to move.
/// </summary>
/// <remarks>
/// Layout (a positive 31-bit int, CSS's integer range): the primary key in the high bits, the name
/// rank in the low <c>ceil(log2(hosts))</c> bits. The primary key is the sort value quantized to
/// what the table shows (0.01 of load, CPU or memory), clamped to the bits left (at 5,000 hosts 18
/// bits: loads up to 2,621). A host added changes every rank, so the page is then sent whole.
/// </remarks>
internal static class OrderKey
{
    /// <summary>Bits taken by the name rank for a fleet of <paramref name="hosts"/>.</summary>
    public static int RankBits(int hosts) => hosts <= 2 ? 1 : 32 - int.LeadingZeroCount(hosts - 1);

    public static int Of(HostKey host, OverviewQuery query, int hosts)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bits = RankBits(hosts);
        var max = (1L << (31 - bits)) - 1;
        long primary = query.Sort switch
        {
            OverviewSort.Host => 0,
            OverviewSort.State => Severity(host.State),
            // Worst state first, then the highest load per core: a third of the range per state.
            OverviewSort.Attention => (2 - Severity(host.State)) * (max / 3) + (max / 3 - 1 - Quantize(host.LoadPerCore, max / 3 - 1)),
            OverviewSort.Load1 => Quantize(host.Load1, max),
            OverviewSort.Load5 => Quantize(host.Load5, max),
            OverviewSort.Load15 => Quantize(host.Load15, max),
            OverviewSort.Cpu => Quantize(host.Cpu, max),
            _ => Quantize(host.MemoryPercent, max),
        };
        var rank = (long)host.NameRank;
        if (query.Descending)
        {
            primary = max - primary;
            // Ties read A to Z in either direction, except when sorting by name itself.
            if (query.Sort == OverviewSort.Host) rank = (1L << bits) - 1 - rank;
        }
        return (int)((primary << bits) | rank);
    }

    /// <summary>live 0, stale 1, offline 2: how much a state needs someone to look.</summary>
    public static int Severity(HostState state) => state switch
    {
        HostState.Live => 0,
        HostState.Stale => 1,
        _ => 2,
    };

    private static long Quantize(double value, long max) => double.IsFinite(value) ? Math.Clamp((long)Math.Round(value * 100), 0, max) : max;
}
