using System.Diagnostics;
using LoadCluster.ServiceDefaults;

namespace LoadCluster.Collector;

/// <summary>
/// The activity source "LoadCluster.Collector" (traced by ServiceDefaults' LoadCluster* subscription):
/// one span per sample, "collector sample", from the /proc read ("read /proc", its child) to the end
/// of its Redis writes, which are its children too. Routine, so sampled (ServiceDefaults'
/// ClusterSampler), except a sample that carries its trace (<see cref="SampleJourneys"/>): that
/// span is always kept, as a producer, and the web replicas' spans for the sample are its children.
/// </summary>
internal static class CollectorTracing
{
    public const string SampleSpan = "collector sample";

    public static readonly ActivitySource Source = new(CollectorMetrics.MeterName);

    private static readonly KeyValuePair<string, object?>[] JourneyTags = [new("loadcluster.sample.journey", true)];

    /// <summary>The sample's span (null when not traced); the caller makes no other span current meanwhile.</summary>
    public static Activity? StartSample(bool journey) => journey
        ? Source.StartActivity(SampleSpan, ActivityKind.Producer, parentContext: default, JourneyTags)
        : Source.StartRoutine(SampleSpan);

    /// <summary>The /proc read, under the sample's span when that is traced (never a trace of its own).</summary>
    public static Activity? StartRead(Activity? sample) =>
        sample is null ? null : Source.StartActivity("read /proc", ActivityKind.Internal, sample.Context);
}
