using LoadCluster.Samples;

namespace LoadCluster.Web.Relay;

/// <summary>A valid sample and when this web node received it (its own clock: staleness is judged on it).</summary>
internal readonly record struct ReceivedSample(Sample Sample, DateTimeOffset ReceivedAt);
