namespace LoadCluster.Samples;

/// <summary>
/// Folds one host's samples into buckets of one <see cref="RollupLevel"/>: sums while a bucket is
/// open, one <see cref="RollupPoint"/> when a sample of a later bucket arrives. Memory is constant
/// per host and level. Samples must come in time order (older ones are ignored). Not thread-safe.
/// </summary>
public sealed class RollupAccumulator(RollupLevel level)
{
    private long _bucket = -1;
    private long _lastTs;
    private double _load1, _load5, _load15, _cpu, _load1Max;
    private int _count;

    public RollupLevel Level => level;

    /// <summary>Adds a sample; returns the point of the bucket it closed, or null.</summary>
    public RollupPoint? Add(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Ts <= _lastTs) return null;
        _lastTs = sample.Ts;
        var bucket = level.BucketOf(sample.Ts);
        RollupPoint? closed = null;
        if (bucket != _bucket)
        {
            closed = Close();
            _bucket = bucket;
            _load1 = _load5 = _load15 = _cpu = _load1Max = 0;
            _count = 0;
        }
        _load1 += sample.Load1;
        _load5 += sample.Load5;
        _load15 += sample.Load15;
        _cpu += sample.Cpu;
        _load1Max = Math.Max(_load1Max, sample.Load1);
        _count++;
        return closed;
    }

    private RollupPoint? Close() => _count == 0 ? null
        : new RollupPoint(_bucket, _load1 / _count, _load5 / _count, _load15 / _count, _cpu / _count, _load1Max, _count);
}
