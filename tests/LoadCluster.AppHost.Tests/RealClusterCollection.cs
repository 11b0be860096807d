namespace LoadCluster.AppHost.Tests;

/// <summary>Tests that start a whole cluster run one at a time: two at once would starve a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class RealClusterCollection
{
    public const string Name = "real cluster";
}
