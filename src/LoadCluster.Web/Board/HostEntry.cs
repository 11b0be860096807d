using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>The board's mutable record of one host; only touched under the board's lock.</summary>
internal sealed class HostEntry(Sample latest, DateTimeOffset receivedAt, int historyPoints)
{
    public Sample Latest { get; set; } = latest;

    public DateTimeOffset ReceivedAt { get; set; } = receivedAt;

    public HistoryRing History { get; } = new(historyPoints);

    /// <summary>
    /// The state last pushed to pages, so the watcher pushes only transitions; also the state the
    /// host counts under in the totals.
    /// </summary>
    public HostState ReportedState { get; set; }

    /// <summary>The board's change counter when this host last changed (a sample or a state change).</summary>
    public long Version { get; set; }
}
