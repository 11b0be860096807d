namespace LoadCluster.Web.Board;

/// <summary>How current a host's data is, judged on this web node's receive time.</summary>
public enum HostState
{
    /// <summary>A sample arrived within 3 of the host's intervals.</summary>
    Live,

    /// <summary>No sample for 3 intervals: the collector or the network may be struggling.</summary>
    Stale,

    /// <summary>No sample for <see cref="LoadBoardOptions.OfflineAfter"/>.</summary>
    Offline,
}

/// <summary>The states' names, as the pages, the URLs and the JSON API spell them.</summary>
public static class HostStates
{
    public static string Name(HostState state) => state switch
    {
        HostState.Live => "live",
        HostState.Stale => "stale",
        _ => "offline",
    };
}
