namespace LoadCluster.EndToEnd.Tests;

/// <summary>All end-to-end tests share one cluster and run one at a time (some kill parts of it).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
