namespace LoadCluster.Web.Board;

/// <summary>
/// Element ids the pages and the pushed fragments share. End-to-end tests and scripts find values
/// by these ids, so they are a contract: <c>host-{name}</c> (row), <c>host-{name}-load1</c> etc.,
/// <c>host-{name}-state</c>, <c>cluster-summary</c>, <c>replica-{id}</c>, <c>collector-{host}</c>.
/// </summary>
public static class ElementIds
{
    public const string HostRows = "host-rows";
    public const string Summary = "cluster-summary";
    // Not "host-…": a host may be called "view".
    public const string HostView = "overview-counts";
    public const string Replicas = "cluster-replicas";
    public const string Collectors = "cluster-collectors";

    public static string Host(string name) => $"host-{name}";

    public static string HostValue(string name, string value) => $"host-{name}-{value}";

    public static string HostDetail(string name) => $"host-{name}-detail";

    public static string HostHistory(string name) => $"history-{name}";

    public static string Replica(string id) => $"replica-{id}";

    public static string Collector(string host) => $"collector-{host}";
}
