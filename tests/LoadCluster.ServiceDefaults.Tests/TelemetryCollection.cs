namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>Tests that export telemetry run alone: activity sources are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
