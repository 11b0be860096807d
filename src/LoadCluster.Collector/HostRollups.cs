using LoadCluster.Samples;

namespace LoadCluster.Collector;

/// <summary>
/// One host's accumulators for every <see cref="RollupLevel"/>, and the points they closed that are
/// not in Redis yet. Pending points are capped, so a long Redis outage keeps memory flat (the
/// oldest pending points go first). Not thread-safe.
/// </summary>
public sealed class HostRollups
{
    /// <summary>Closed points kept while Redis is away: an hour of 15 s buckets.</summary>
    public const int MaxPending = 240;

    private readonly RollupAccumulator[] _accumulators = [.. RollupLevel.All.Select(l => new RollupAccumulator(l))];
    private readonly List<(RollupLevel Level, RollupPoint Point)> _pending = [];

    /// <summary>Feeds a sample to every level (every sample taken, published or not).</summary>
    public void Add(Sample sample)
    {
        foreach (var accumulator in _accumulators)
        {
            if (accumulator.Add(sample) is { } point) _pending.Add((accumulator.Level, point));
        }
        if (_pending.Count > MaxPending) _pending.RemoveRange(0, _pending.Count - MaxPending);
    }

    /// <summary>The points to write with the next batch; <see cref="Written"/> forgets them once it succeeded.</summary>
    public IReadOnlyList<(RollupLevel Level, RollupPoint Point)> Pending => _pending;

    /// <summary>
    /// Forgets the points a batch wrote. They are found by value, not counted off the front: while the
    /// batch was in flight the cap may have trimmed some of them, and the front is then newer points.
    /// </summary>
    public void Written(IReadOnlyCollection<(RollupLevel Level, RollupPoint Point)> sent)
    {
        var written = sent.ToHashSet();
        _pending.RemoveAll(written.Contains);
    }
}
