using System.Text.Json.Serialization;
using LoadCluster.Samples;

namespace LoadCluster.Web.Cluster;

/// <summary>A live collector as the Cluster page shows it: its own record plus when its host last reported.</summary>
public sealed record CollectorView(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("intervalMs")] int IntervalMs,
    [property: JsonPropertyName("startedAt")] long StartedAt,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("lastSeen")] long? LastSeen)
{
    public static CollectorView Of(CollectorInfo info, long? lastSeen)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new(info.Host, info.IntervalMs, info.StartedAt, info.Pid, info.Version, lastSeen);
    }
}
