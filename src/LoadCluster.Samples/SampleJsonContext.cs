using System.Text.Json.Serialization;

namespace LoadCluster.Samples;

/// <summary>Source-generated JSON for the wire types: camelCase, nulls omitted, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Sample))]
[JsonSerializable(typeof(SampleDto))]
[JsonSerializable(typeof(CollectorInfo))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
