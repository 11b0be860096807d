namespace LoadCluster.Compose.Tests;

/// <summary>The compose tests run one at a time: each builds and runs the whole cluster.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ComposeCollection
{
    public const string Name = "compose";
}
