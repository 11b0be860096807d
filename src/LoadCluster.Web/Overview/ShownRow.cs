using LoadCluster.Web.Board;

namespace LoadCluster.Web.Overview;

/// <summary>A row as rendered: the host with its sparkline history, and its CSS order in the view.</summary>
public sealed record ShownRow(HostSnapshot Host, int Order)
{
    /// <summary>Points of history a row's sparkline shows (one minute at 1 s).</summary>
    public const int SparklinePoints = 60;
}
