namespace LoadCluster.Web.Tests.Security;

/// <summary>The sign-in tests share one provider, Redis and pair of replicas, one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SignInCollection : ICollectionFixture<SignInCluster>
{
    public const string Name = "sign-in";
}
