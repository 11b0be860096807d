using System.Text.Json.Serialization;

namespace LoadCluster.Web.Cluster;

/// <summary>The system itself: live web replicas and collectors, as read from Redis at <see cref="ReadAt"/>.</summary>
public sealed record ClusterSnapshot(
    [property: JsonPropertyName("replicas")] IReadOnlyList<ReplicaInfo> Replicas,
    [property: JsonPropertyName("collectors")] IReadOnlyList<CollectorView> Collectors,
    [property: JsonPropertyName("readAt")] long ReadAt,
    [property: JsonPropertyName("error")] string? Error)
{
    public static readonly ClusterSnapshot Empty = new([], [], 0, null);
}
