namespace LoadCluster.AppHost;

/// <summary>The cluster could not start; the message says why and what to do, and is meant for the user.</summary>
public sealed class ClusterStartException : Exception
{
    public ClusterStartException(string message) : base(message) { }

    public ClusterStartException(string message, Exception inner) : base(message, inner) { }
}
