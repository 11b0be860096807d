using System.Text.Json;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Web.Cluster;

/// <summary>
/// Reads and writes the cluster registry in Redis: each replica's own record (a key with a short
/// time to live, plus its id in a sorted set scored by heartbeat time), and the collectors' records.
/// Keeps the last snapshot read, and tells its listeners (the Cluster page's live stream) each time it reads one.
/// </summary>
internal sealed class ClusterRegistry(IConnectionMultiplexer redis, RedisNames names, TimeProvider time)
{
    /// <summary>A replica's record lives this long after its last heartbeat (heartbeats are every second).</summary>
    public static readonly TimeSpan ReplicaTtl = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private volatile ClusterSnapshot _latest = ClusterSnapshot.Empty;

    public ClusterSnapshot Latest => _latest;

    /// <summary>Raised after each <see cref="ReadAsync"/>, on the reader's thread: listeners only take note.</summary>
    public event Action? Changed;

    public async Task WriteAsync(ReplicaInfo self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var set = batch.StringSetAsync(names.Replica(self.Id), JsonSerializer.SerializeToUtf8Bytes(self, Json), ReplicaTtl);
        var add = batch.SortedSetAddAsync(names.Replicas, self.Id, self.SeenAt);
        // Ids of replicas gone for an hour are forgotten, so the set stays small.
        var trim = batch.SortedSetRemoveRangeByScoreAsync(names.Replicas, double.NegativeInfinity, self.SeenAt - 3_600_000);
        batch.Execute();
        await Task.WhenAll(set, add, trim);
    }

    /// <summary>Reads live replicas and collectors; on a Redis error returns the last snapshot with the error.</summary>
    public async Task<ClusterSnapshot> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            var db = redis.GetDatabase();
            var ids = await db.SortedSetRangeByScoreAsync(names.Replicas, now - 2 * ReplicaTtl.TotalMilliseconds, double.PositiveInfinity);
            var hosts = await db.SortedSetRangeByRankWithScoresAsync(names.Hosts);
            var validIds = ids.Select(v => (string?)v).Where(HostName.IsValid).Cast<string>().ToArray();
            var validHosts = hosts.Where(h => HostName.IsValid(h.Element)).ToArray();
            var replicaValues = validIds.Length == 0 ? [] : await db.StringGetAsync([.. validIds.Select(id => (RedisKey)names.Replica(id))]);
            var collectorValues = validHosts.Length == 0 ? [] : await db.StringGetAsync([.. validHosts.Select(h => (RedisKey)names.Collector(h.Element!))]);
            ct.ThrowIfCancellationRequested();

            var replicas = replicaValues.Where(v => v.HasValue).Select(v => ParseReplica(v)).OfType<ReplicaInfo>()
                .OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            var collectors = new List<CollectorView>();
            for (var i = 0; i < validHosts.Length; i++)
            {
                if (!collectorValues[i].HasValue || CollectorInfo.TryParse((byte[])collectorValues[i]!) is not { } info) continue;
                collectors.Add(CollectorView.Of(info, (long)validHosts[i].Score));
            }
            collectors.Sort((a, b) => string.CompareOrdinal(a.Host, b.Host));
            _latest = new ClusterSnapshot(replicas, collectors, now, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _latest = _latest with { ReadAt = now, Error = e.Message };
        }
        Changed?.Invoke();
        return _latest;
    }

    private static ReplicaInfo? ParseReplica(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize<ReplicaInfo>((byte[])value!, Json) is { Id: not null } info ? info : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
