namespace LoadCluster.Collector;

/// <summary>How long a host's keys live in Redis, from its interval and the history it keeps.</summary>
/// <param name="LatestTtl">The collector record: a silent host's collector disappears after it.</param>
/// <param name="HistoryLength">Raw samples kept in the history list.</param>
/// <param name="HistoryTtl">The latest sample and the recent history: a silent host disappears after it.</param>
public sealed record SampleRetention(TimeSpan LatestTtl, int HistoryLength, TimeSpan HistoryTtl)
{
    public static SampleRetention Of(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.LatestTtl, options.HistoryLength, TimeSpan.FromMinutes(options.HistoryMinutes));
    }
}
