namespace LoadCluster.Web.Overview;

/// <summary>
/// The board's stream names (architecture.md). Each page listens to exactly one, and every message
/// on it carries the summary box too, so a client gets each sample once.
/// </summary>
public static class StreamNames
{
    /// <summary>Every host row, plus the summary (the overview).</summary>
    public const string Hosts = "hosts";

    /// <summary>Live replicas and collectors, plus the summary (the Cluster page).</summary>
    public const string Cluster = "cluster";

    private const string HostPrefix = "host:";

    /// <summary>One host's detail, plus the summary (the host page).</summary>
    public static string Host(string name) => HostPrefix + name;

    /// <summary>The host a <c>host:{name}</c> stream is about, or null for another stream.</summary>
    public static string? HostOf(string streamName) =>
        streamName.StartsWith(HostPrefix, StringComparison.Ordinal) ? streamName[HostPrefix.Length..] : null;
}
