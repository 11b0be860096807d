using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>
/// The Redis writes that go with one sample, queued on a batch in this order: latest (with TTL),
/// history (bounded list with TTL), any closed downsampled points, the collector record, then
/// PUBLISH on the host's own channel, so a reader woken by the message finds the keys already
/// updated. Only the host's own keys (<see cref="RedisNames.HostKeys"/>): its Redis user may write
/// nothing else (the hosts index is the web replicas' to keep). The
/// collector uses it for its host, and the fleet simulator in bench/ for each of its hosts, so both
/// leave Redis exactly as a real fleet would.
/// </summary>
public static class SampleWrites
{
    public static List<Task> Queue(IBatch batch, RedisNames names, SampleRetention retention, Sample sample, byte[] collectorInfo,
        IEnumerable<(RollupLevel Level, RollupPoint Point)> closed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(closed);
        RedisValue json = SampleJson.Serialize(sample);
        var host = sample.Host;
        var history = names.History(host);
        var writes = new List<Task>(16)
        {
            batch.StringSetAsync(names.Latest(host), json, retention.LatestTtl),
            batch.ListLeftPushAsync(history, json),
            batch.ListTrimAsync(history, 0, retention.HistoryLength - 1),
            batch.KeyExpireAsync(history, retention.HistoryTtl),
        };
        foreach (var (level, point) in closed)
        {
            var key = names.Rollup(host, level);
            writes.Add(batch.ListLeftPushAsync(key, point.ToBytes()));
            writes.Add(batch.ListTrimAsync(key, 0, level.Points - 1));
            writes.Add(batch.KeyExpireAsync(key, level.Span));
        }
        writes.Add(batch.StringSetAsync(names.Collector(host), collectorInfo, retention.LatestTtl));
        // Relative: the connection adds names.ChannelPrefix (ConfigurationOptions.ChannelPrefix), as the services' does.
        writes.Add(batch.PublishAsync(RedisChannel.Literal(RedisNames.Samples(host)), json));
        return writes;
    }
}
