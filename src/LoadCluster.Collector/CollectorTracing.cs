using System.Diagnostics;

namespace LoadCluster.Collector;

/// <summary>
/// The activity source "LoadCluster.Collector" (traced by ServiceDefaults' LoadCluster* subscription):
/// one span per sample, "collector sample", from the /proc read to the end of its Redis writes,
/// which are its children. Routine, so sampled (ServiceDefaults' ClusterSampler).
/// </summary>
internal static class CollectorTracing
{
    public const string SampleSpan = "collector sample";

    public static readonly ActivitySource Source = new(CollectorMetrics.MeterName);
}
