using OpenTelemetry.Trace;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Decides, when a trace begins (head sampling, in each process; the spans under it follow it
/// through <see cref="ParentBasedSampler"/>, across processes too by the W3C <c>traceparent</c>'s
/// sampled flag), which traces are kept:
/// <list type="number">
/// <item>a Redis command that is part of no unit of work (no span open where it was sent) is
/// dropped: it would be a trace of one span, and the replicas' loops make hundreds a minute;</item>
/// <item>routine background work (<see cref="RoutineWork"/>: a heartbeat, a relay batch, a collector
/// sample) is kept at the given ratio, by trace id (<c>LoadCluster:Telemetry:RoutineSampling</c>, 1 in 100 by default);</item>
/// <item>everything else (page and API requests, a stream session's start) is kept.</item>
/// </list>
/// (A page's Blazor route span is left out after it starts, by <see cref="PageRouteSpans"/>.)
/// </summary>
internal sealed class ClusterSampler(double routineRatio) : Sampler
{
    /// <summary>Tag the StackExchange.Redis instrumentation gives each command span when it creates it.</summary>
    private const string DbSystem = "db.system";

    private readonly TraceIdRatioBasedSampler _routine = new(routineRatio);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Tags is { } tags)
        {
            foreach (var (key, value) in tags)
            {
                if (key == DbSystem && value is "redis") return new SamplingResult(SamplingDecision.Drop);
                if (key == RoutineWork.Tag) return _routine.ShouldSample(samplingParameters);
            }
        }
        return new SamplingResult(SamplingDecision.RecordAndSample);
    }
}
