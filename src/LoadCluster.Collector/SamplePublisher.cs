using LoadCluster.Samples;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>
/// Writes each sample to Redis in one round trip (<see cref="SampleWrites"/>), with the downsampled
/// history points it closed (<see cref="HostRollups"/>). At most one batch is in flight: while one is pending or Redis is away,
/// new samples are dropped, never queued, so memory stays flat through any outage.
/// </summary>
public sealed class SamplePublisher
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisNames _names;
    private readonly SampleRetention _retention;
    private readonly HostRollups _rollups = new();
    private readonly CollectorMetrics _metrics;
    private readonly ILogger<SamplePublisher> _logger;
    private readonly byte[] _collectorInfo;
    private readonly Lock _lock = new();
    private Task _inFlight = Task.CompletedTask;
    private bool _outage;
    // The next slot of the recent-history ring; from the clock, so a restarted collector goes on about where it stopped.
    private long _slot;
    // Size the rings with the first write, and the first after a failure (Redis may have restarted empty).
    private bool _sizeRings = true;
    private long _droppedInOutage;

    public SamplePublisher(IConnectionMultiplexer redis, RedisNames names, IOptions<CollectorOptions> options,
        CollectorMetrics metrics, TimeProvider time, ILogger<SamplePublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _redis = redis;
        _names = names;
        var settings = options.Value;
        _retention = SampleRetention.Of(settings);
        _metrics = metrics;
        _logger = logger;
        _slot = time.GetUtcNow().ToUnixTimeMilliseconds() / Math.Max(1, (long)settings.Interval.TotalMilliseconds);
        _collectorInfo = new CollectorInfo(settings.Host, (int)settings.Interval.TotalMilliseconds,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Environment.ProcessId, CollectorVersion.Number).ToJson();
    }

    /// <summary>The pending publish, if any; completes without throwing.</summary>
    public Task Completion => _inFlight;

    /// <summary>Starts publishing the sample unless the previous one is still in flight; returns whether it started.</summary>
    /// <param name="work">The sample's span, if traced: its Redis writes are its children, and it ends when they do.</param>
    public bool TryPublish(Sample sample, System.Diagnostics.Activity? work = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        (RollupLevel, RollupPoint)[] closed;
        long slot;
        bool sizeRings;
        lock (_lock)
        {
            // Every sample counts in the downsampled history, even one not sent.
            _rollups.Add(sample);
            if (!_inFlight.IsCompleted)
            {
                work?.SetTag("loadcluster.sample.skipped", true).Dispose();
                _metrics.Dropped();
                if (_outage) _droppedInOutage++;
                return false;
            }
            closed = [.. _rollups.Pending];
            slot = _slot++;
            sizeRings = _sizeRings;
        }
        _inFlight = PublishAsync(sample, slot, closed, sizeRings, work);
        return true;
    }

    private async Task PublishAsync(Sample sample, long slot, (RollupLevel Level, RollupPoint Point)[] closed, bool sizeRings, System.Diagnostics.Activity? work)
    {
        // Current only within this call (an async method's own context), so the commands below are the span's.
        if (work is not null) System.Diagnostics.Activity.Current = work;
        using var span = work;
        try
        {
            var batch = _redis.GetDatabase().CreateBatch();
            var writes = SampleWrites.Queue(batch, _names, _retention, sample, slot, _collectorInfo, closed, sizeRings);
            batch.Execute();
            await Task.WhenAll(writes).ConfigureAwait(false);
            lock (_lock)
            {
                _rollups.Written(closed);
                if (sizeRings) _sizeRings = false;
            }
            _metrics.Published();
            OnSuccess();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.Failed();
            work?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            OnFailure(e);
        }
    }

    private void OnSuccess()
    {
        long dropped;
        lock (_lock)
        {
            if (!_outage) return;
            _outage = false;
            dropped = _droppedInOutage;
            _droppedInOutage = 0;
        }
        Log.PublishingResumed(_logger, dropped);
    }

    private void OnFailure(Exception e)
    {
        lock (_lock)
        {
            _sizeRings = true;
            _droppedInOutage++;
            if (_outage) return;
            _outage = true;
        }
        Log.PublishingStopped(_logger, e.Message);
    }
}
