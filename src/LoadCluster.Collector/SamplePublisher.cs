using System.Reflection;
using LoadCluster.Samples;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>
/// Writes each sample to Redis in one round trip: latest (with TTL), history (bounded list with TTL),
/// the hosts index, the collector record, then PUBLISH, so a reader woken by the message finds the
/// keys already updated. At most one batch is in flight: while one is pending or Redis is away,
/// new samples are dropped, never queued, so memory stays flat through any outage.
/// </summary>
public sealed class SamplePublisher
{
    // "1.0.0+<commit>" from the SDK's source link: keep the version, drop the commit.
    private static readonly string Version = (typeof(SamplePublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisNames _names;
    private readonly CollectorOptions _options;
    private readonly CollectorMetrics _metrics;
    private readonly ILogger<SamplePublisher> _logger;
    private readonly RedisChannel _channel;
    private readonly byte[] _collectorInfo;
    private readonly Lock _lock = new();
    private Task _inFlight = Task.CompletedTask;
    private bool _outage;
    private long _droppedInOutage;

    public SamplePublisher(IConnectionMultiplexer redis, RedisNames names, IOptions<CollectorOptions> options,
        CollectorMetrics metrics, TimeProvider time, ILogger<SamplePublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _redis = redis;
        _names = names;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _channel = RedisChannel.Literal(RedisNames.Samples);
        _collectorInfo = new CollectorInfo(_options.Host, (int)_options.Interval.TotalMilliseconds,
            time.GetUtcNow().ToUnixTimeMilliseconds(), Environment.ProcessId, Version).ToJson();
    }

    /// <summary>The pending publish, if any; completes without throwing.</summary>
    public Task Completion => _inFlight;

    /// <summary>Starts publishing the sample unless the previous one is still in flight; returns whether it started.</summary>
    public bool TryPublish(Sample sample)
    {
        if (!_inFlight.IsCompleted)
        {
            _metrics.Dropped();
            lock (_lock) if (_outage) _droppedInOutage++;
            return false;
        }
        _inFlight = PublishAsync(sample);
        return true;
    }

    private async Task PublishAsync(Sample sample)
    {
        try
        {
            RedisValue json = SampleJson.Serialize(sample);
            var host = sample.Host;
            var historyTtl = TimeSpan.FromMinutes(_options.HistoryMinutes);
            var batch = _redis.GetDatabase().CreateBatch();
            Task[] writes =
            [
                batch.StringSetAsync(_names.Latest(host), json, _options.LatestTtl),
                batch.ListLeftPushAsync(_names.History(host), json),
                batch.ListTrimAsync(_names.History(host), 0, _options.HistoryLength - 1),
                batch.KeyExpireAsync(_names.History(host), historyTtl),
                batch.SortedSetAddAsync(_names.Hosts, host, sample.Ts),
                // Hosts silent for longer than the history leave the index, so it stays bounded.
                batch.SortedSetRemoveRangeByScoreAsync(_names.Hosts, double.NegativeInfinity, sample.Ts - historyTtl.TotalMilliseconds, Exclude.Stop),
                batch.KeyExpireAsync(_names.Hosts, historyTtl),
                batch.StringSetAsync(_names.Collector(host), _collectorInfo, _options.LatestTtl),
                batch.PublishAsync(_channel, json),
            ];
            batch.Execute();
            await Task.WhenAll(writes).ConfigureAwait(false);
            _metrics.Published();
            OnSuccess();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.Failed();
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
            _droppedInOutage++;
            if (_outage) return;
            _outage = true;
        }
        Log.PublishingStopped(_logger, e.Message);
    }
}
