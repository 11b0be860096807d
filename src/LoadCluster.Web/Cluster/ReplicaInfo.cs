using System.Text.Json.Serialization;

namespace LoadCluster.Web.Cluster;

/// <summary>
/// What a web replica says about itself every second, stored at <c>RedisNames.Replica(id)</c>
/// with a short time to live, so every replica can list the live ones.
/// </summary>
/// <remarks>Wire format: <c>{"id":"web-1","url":"http://127.0.0.1:5001","connections":3,
/// "pushesPerSecond":4.0,"samplesPerSecond":2.0,"startedAt":1763750000000,"seenAt":1763750005000,
/// "samplesDropped":0}</c> (times in Unix milliseconds; samplesDropped counts since the replica started
/// the samples its relay dropped because it fell behind, and may be missing from older replicas).</remarks>
public sealed record ReplicaInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("connections")] int Connections,
    [property: JsonPropertyName("pushesPerSecond")] double PushesPerSecond,
    [property: JsonPropertyName("samplesPerSecond")] double SamplesPerSecond,
    [property: JsonPropertyName("startedAt")] long StartedAt,
    [property: JsonPropertyName("seenAt")] long SeenAt,
    [property: JsonPropertyName("samplesDropped")] long SamplesDropped = 0);
