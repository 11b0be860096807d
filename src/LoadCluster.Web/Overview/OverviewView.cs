using LoadCluster.Web.Board;

namespace LoadCluster.Web.Overview;

/// <summary>
/// One view of the fleet at one moment: the rows to show in order, each with its CSS order, and
/// the counts the page shows above them. Built from <see cref="HostBoard.Keys"/> in one pass and
/// one sort, once per push (never once per sample).
/// </summary>
/// <param name="Rows">The rows shown, in order.</param>
/// <param name="Matching">Hosts that pass the name filter and the state filter (Rows is the first of them).</param>
/// <param name="ByState">Hosts that pass the name filter, per state: live, stale, offline.</param>
/// <param name="Total">Every host on the board.</param>
/// <param name="ListVersion">The board's list version the ranks (and so the orders) belong to.</param>
public sealed record OverviewView(OverviewQuery Query, IReadOnlyList<OverviewRow> Rows, int Matching, IReadOnlyList<int> ByState, int Total, long ListVersion)
{
    public bool Truncated => Rows.Count < Matching;

    public int Count(HostState state) => ByState[(int)state];

    /// <summary>How many hosts the name filter alone lets through.</summary>
    public int FilterMatching => ByState.Sum();

    public static OverviewView Of(OverviewQuery query, IReadOnlyList<HostKey> keys, long listVersion, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keys);
        var byState = new int[3];
        var rows = new List<OverviewRow>();
        foreach (var key in keys)
        {
            if (query.Filter.Length > 0 && !key.Name.Contains(query.Filter, StringComparison.OrdinalIgnoreCase)) continue;
            byState[(int)key.State]++;
            if (query.State is { } state && key.State != state) continue;
            rows.Add(new OverviewRow(key, OrderKey.Of(key, query, keys.Count)));
        }
        var matching = rows.Count;
        rows.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        if (!query.ShowAll && rows.Count > limit) rows.RemoveRange(limit, rows.Count - limit);
        return new OverviewView(query, rows, matching, byState, keys.Count, listVersion);
    }
}
