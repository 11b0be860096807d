using System.Diagnostics;

namespace LoadCluster.Web;

/// <summary>
/// The activity source "LoadCluster.Web" (ServiceDefaults traces every "LoadCluster*" source): one
/// span per unit of the replica's background work, its Redis commands as children. Routine, so
/// sampled (ServiceDefaults' ClusterSampler); pages and stream sessions are traced by ASP.NET Core
/// and the Turbo library.
/// </summary>
internal static class WebTracing
{
    public static readonly ActivitySource Source = new(WebMetrics.MeterName);
}
