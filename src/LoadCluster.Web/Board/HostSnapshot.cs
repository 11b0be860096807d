using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>An immutable view of one host at one moment, what every fragment renders from.</summary>
/// <param name="Name">Host name (validated by <see cref="HostName"/>, so it is safe in ids and URLs).</param>
/// <param name="Latest">The latest sample.</param>
/// <param name="ReceivedAt">When this web node received <paramref name="Latest"/> (its own clock).</param>
/// <param name="State">Live, stale or offline.</param>
/// <param name="History">Oldest first.</param>
public sealed record HostSnapshot(string Name, Sample Latest, DateTimeOffset ReceivedAt, HostState State, IReadOnlyList<HistoryPoint> History)
{
    public LoadLevel Level => LoadLevels.Of(Latest.Load1, Latest.Cores);

    public double MemoryPercent => Latest.MemTotal > 0 ? 100.0 * Latest.MemUsed / Latest.MemTotal : 0;

    /// <summary>The collector's interval, 1 s when the sample does not say.</summary>
    public TimeSpan Interval => TimeSpan.FromMilliseconds(Latest.IntervalMs ?? 1000);

    /// <summary>The element id prefix of this host's values (<c>host-{name}</c>).</summary>
    public string Id => ElementIds.Host(Name);
}
