using LoadCluster.Web.Board;

namespace LoadCluster.Web.Overview;

/// <summary>One row of a view: the host's key and its CSS order in that view (see <see cref="OrderKey"/>).</summary>
public readonly record struct OverviewRow(HostKey Key, int Order);
