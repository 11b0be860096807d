namespace LoadCluster.AppHost.Tests;

/// <summary>Runs of the AppHost go one at a time: each starts a cluster of real processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCollection
{
    public const string Name = "apphost";
}
