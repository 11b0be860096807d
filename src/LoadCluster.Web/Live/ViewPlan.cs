using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Live;

/// <summary>One push of a view: the whole body, or removals and the rows due (in the order they should go).</summary>
internal sealed record ViewPlan(bool IsWhole, IReadOnlyList<string> Removed, IReadOnlyList<OverviewRow> Due)
{
    public static readonly ViewPlan Whole = new(true, [], []);
}
