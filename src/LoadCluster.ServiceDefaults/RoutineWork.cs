using System.Diagnostics;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Starts the span of one unit of routine background work (a heartbeat, a relay batch, a collector
/// sample), so the Redis commands it sends are its children. Routine traces are sampled
/// (<see cref="ClusterSampler"/>): where this returns null, nothing of that unit is kept, its Redis
/// commands included.
/// </summary>
public static class RoutineWork
{
    /// <summary>Creation tag by which <see cref="ClusterSampler"/> knows routine work.</summary>
    public const string Tag = "loadcluster.routine";

    private static readonly KeyValuePair<string, object?>[] Tags = [new(Tag, true)];

    /// <summary>The span of one unit of routine work; call it from a loop, where no other span is open.</summary>
    public static Activity? StartRoutine(this ActivitySource source, string name)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.StartActivity(name, ActivityKind.Internal, parentContext: default, Tags);
    }
}
