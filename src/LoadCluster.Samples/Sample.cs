using System.Text.Json.Serialization;

namespace LoadCluster.Samples;

/// <summary>
/// One load sample of one host, as the Collector publishes it on the samples channel.
/// </summary>
/// <remarks>
/// Wire format (version 1, UTF-8 JSON, camelCase, written by <see cref="SampleJson.Serialize"/>):
/// <c>{"v":1,"host":"web-1","ts":1763750000000,"load1":0.5,"load5":0.4,"load15":0.3,"cores":2,
/// "cpu":12.5,"perCore":[10,15],"memUsed":123,"memTotal":456,"uptime":3600.5,
/// "runnable":1,"tasks":250,"intervalMs":1000}</c>.
/// <c>runnable</c>, <c>tasks</c>, <c>intervalMs</c> and <c>traceparent</c> are optional additions; readers ignore
/// fields they do not know, so fields may be added but never renamed or retyped.
/// </remarks>
public sealed record Sample
{
    /// <summary>The wire format version this code writes and accepts.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Wire format version; always <see cref="CurrentVersion"/>.</summary>
    public int V { get; init; } = CurrentVersion;

    /// <summary>Host name, 1–253 characters of [A-Za-z0-9._-] (see <see cref="HostName"/>).</summary>
    public required string Host { get; init; }

    /// <summary>Sample time, Unix milliseconds, on the collector's clock.</summary>
    public required long Ts { get; init; }

    public required double Load1 { get; init; }

    public required double Load5 { get; init; }

    public required double Load15 { get; init; }

    /// <summary>Number of CPU cores; equals <see cref="PerCore"/>'s length.</summary>
    public required int Cores { get; init; }

    /// <summary>Busy percentage over all cores since the previous sample, 0–100.</summary>
    public required double Cpu { get; init; }

    /// <summary>Busy percentage of each core since the previous sample, 0–100.</summary>
    public required IReadOnlyList<double> PerCore { get; init; }

    /// <summary>Memory in use (total minus available), bytes.</summary>
    public required long MemUsed { get; init; }

    /// <summary>Total memory, bytes.</summary>
    public required long MemTotal { get; init; }

    /// <summary>Seconds since the host booted.</summary>
    public required double Uptime { get; init; }

    /// <summary>Runnable tasks (the 4th field of /proc/loadavg, before the slash); optional.</summary>
    public int? Runnable { get; init; }

    /// <summary>Scheduling entities that exist (after the slash); optional.</summary>
    public int? Tasks { get; init; }

    /// <summary>The collector's sampling interval in milliseconds; optional.</summary>
    public int? IntervalMs { get; init; }

    /// <summary>
    /// W3C trace context (<c>00-{trace id}-{span id}-{flags}</c>) of the collector's span for this
    /// sample, on the few samples traced end to end (the collector's <c>Collector:TraceEvery</c>); optional.
    /// A reader that cannot use it ignores it: it never makes a sample invalid.
    /// </summary>
    public string? Traceparent { get; init; }

    /// <summary>When the sample was taken, as a <see cref="DateTimeOffset"/>.</summary>
    [JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}
