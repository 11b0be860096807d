namespace LoadCluster.Web.Board;

/// <summary>What a sample did to the board.</summary>
internal enum ApplyResult
{
    /// <summary>Older than or the same as the latest sample of its host: nothing changed.</summary>
    Ignored,

    /// <summary>A known host's latest sample.</summary>
    Updated,

    /// <summary>The first sample of a host this node did not know: the host list changed.</summary>
    NewHost,
}
