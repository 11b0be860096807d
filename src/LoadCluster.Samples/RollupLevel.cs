namespace LoadCluster.Samples;

/// <summary>
/// One resolution of the downsampled history kept per host in Redis: buckets of <see cref="Bucket"/>,
/// the newest <see cref="Points"/> of them. Two exist (<see cref="Hour"/>, <see cref="Day"/>); the
/// collector writes them, the host page reads them.
/// </summary>
public sealed record RollupLevel(string Name, TimeSpan Bucket, int Points)
{
    /// <summary>The last hour in 15 s buckets (240 points).</summary>
    public static readonly RollupLevel Hour = new("1h", TimeSpan.FromSeconds(15), 240);

    /// <summary>The last 24 hours in 5 min buckets (288 points).</summary>
    public static readonly RollupLevel Day = new("24h", TimeSpan.FromMinutes(5), 288);

    public static readonly IReadOnlyList<RollupLevel> All = [Hour, Day];

    /// <summary>How far back the level reaches: bucket times points.</summary>
    public TimeSpan Span => Bucket * Points;

    /// <summary>The start (Unix ms) of the bucket holding <paramref name="ts"/>.</summary>
    public long BucketOf(long ts) => ts - ts % (long)Bucket.TotalMilliseconds;
}
