namespace LoadCluster.Web.Tests.Redis;

/// <summary>The failover test runs alone: its gaps are timings, and the machine has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SentinelFailoverCollection
{
    public const string Name = "sentinel failover";
}
