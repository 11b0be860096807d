namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>Tests that run a real app and redis-server run one class at a time: the machine has 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<RelayFixture>
{
    public const string Name = "web app";
}
