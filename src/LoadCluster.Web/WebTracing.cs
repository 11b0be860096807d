using System.Diagnostics;
using LoadCluster.Samples;

namespace LoadCluster.Web;

/// <summary>
/// The activity source "LoadCluster.Web" (ServiceDefaults traces every "LoadCluster*" source): one
/// span per unit of the replica's background work, its Redis commands as children. Routine, so
/// sampled (ServiceDefaults' ClusterSampler); pages and stream sessions are traced by ASP.NET Core
/// and the Turbo library. A sample that carries its trace (<see cref="Sample.Traceparent"/>) gets
/// its own spans in the collector's trace: "relay sample", then a "push …" per push it starts.
/// </summary>
internal static class WebTracing
{
    public const string RelaySampleSpan = "relay sample";

    public static readonly ActivitySource Source = new(WebMetrics.MeterName);

    /// <summary>
    /// The span of a sample that carries its trace, a child of the collector's span, from when this
    /// replica received it (so its wait in the relay's queue shows); null when it carries none, or
    /// one that does not parse, or one not sampled: the sample itself is relayed all the same.
    /// </summary>
    public static Activity? StartJourney(Sample sample, DateTimeOffset receivedAt)
    {
        if (sample.Traceparent is not { } traceparent || !ActivityContext.TryParse(traceparent, null, isRemote: true, out var parent)) return null;
        var span = Source.StartActivity(RelaySampleSpan, ActivityKind.Consumer, parent, startTime: receivedAt);
        span?.SetTag("loadcluster.host", sample.Host);
        return span;
    }

    /// <summary>The span of one push to this replica's clients of a stream, under the span that asked for it.</summary>
    public static Activity? StartPush(ActivityContext cause, string stream, string kind)
    {
        var span = Source.StartActivity("push " + kind, ActivityKind.Internal, cause);
        span?.SetTag("loadcluster.stream.kind", kind).SetTag("loadcluster.stream", stream);
        return span;
    }
}
