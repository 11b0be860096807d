namespace LoadCluster.AppHost;

/// <summary>The cluster cannot start as asked; the message says why and how to fix it, in one line.</summary>
internal sealed class ClusterStartException(string message) : Exception(message);
