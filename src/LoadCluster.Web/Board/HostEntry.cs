using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>The board's mutable record of one host; only touched under the board's lock.</summary>
internal sealed class HostEntry(Sample latest, DateTimeOffset receivedAt, int historyPoints)
{
    public Sample Latest { get; set; } = latest;

    public DateTimeOffset ReceivedAt { get; set; } = receivedAt;

    public HistoryRing History { get; } = new(historyPoints);

    /// <summary>True when the host's latest key had expired at load: offline until a new sample arrives.</summary>
    public bool Expired { get; set; }

    /// <summary>
    /// The state last pushed to pages, so the watcher pushes only transitions; also the state the
    /// host counts under in the totals.
    /// </summary>
    public HostState ReportedState { get; set; }

    /// <summary>The board's change counter when this host last changed (a sample or a state change).</summary>
    public long Version { get; set; }

    public static HistoryPoint PointOf(Sample s) => new(s.Ts, s.Load1, s.Load5, s.Load15, s.Cpu);
}
