using LoadCluster.Samples;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Web.Board;

/// <summary>
/// Fills the board from Redis (each host's latest sample and recent history, kept there by the
/// collectors) at start-up and again after every Redis reconnect, so a page rendered by a new or
/// reconnected replica shows the present and the recent past at once, not an empty board. The relay
/// is already applying samples meanwhile, on the same cores, with seconds of queue: so the load reads
/// <see cref="Chunk"/> hosts at a time (memory stays bounded) and hands their points to the board
/// packed as stored (at 10,000 hosts, 9 million points; unpacked and packed again under the board's
/// lock, they took seconds of CPU and starved the relay into dropping samples).
/// </summary>
internal sealed class HostBoardLoader(
    IConnectionMultiplexer redis, RedisNames names, HostBoard board,
    TimeProvider time, ILogger<HostBoardLoader> logger) : BackgroundService
{
    /// <summary>Hosts silent for longer than this are not listed after a restart.</summary>
    public static readonly TimeSpan Forget = TimeSpan.FromDays(1);

    /// <summary>Hosts read in one round trip: about 7 MB of history in flight.</summary>
    private const int Chunk = 500;

    private readonly SemaphoreSlim _reconnected = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnRestored;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await TryLoadAsync(stoppingToken))
                    await _reconnected.WaitAsync(stoppingToken);
                else
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionRestored -= OnRestored;
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_reconnected.CurrentCount == 0)
        {
            try { _reconnected.Release(); } catch (SemaphoreFullException) { }
        }
    }

    private async Task<bool> TryLoadAsync(CancellationToken ct)
    {
        if (!redis.IsConnected)
        {
            WebLog.LoadFailed(logger, "Redis is not connected");
            return false;
        }
        try
        {
            var db = redis.GetDatabase();
            var since = (time.GetUtcNow() - Forget).ToUnixTimeMilliseconds();
            var hosts = (await db.SortedSetRangeByScoreAsync(names.Hosts, since, double.PositiveInfinity))
                .Select(v => (string?)v).Where(HostName.IsValid).Cast<string>().ToList();
            foreach (var chunk in hosts.Chunk(Chunk))
            {
                var latest = chunk.Select(h => db.StringGetAsync(names.Latest(h))).ToList();
                var recent = chunk.Select(h => ReadRecentAsync(db, h)).ToList();
                await Task.WhenAll(latest.Cast<Task>().Concat(recent));
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (Parse(names.Latest(chunk[i]), latest[i].Result) is not { } current) continue;
                    board.Seed(current, recent[i].Result);
                }
                board.Announce(chunk);
            }
            WebLog.Loaded(logger, hosts.Count);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            WebLog.LoadFailed(logger, e.Message);
            return false;
        }
    }

    /// <summary>
    /// The host's recent points; none when the key holds something else (a value of another type,
    /// written by hand or left by an old tool), which is logged and never stops the load.
    /// </summary>
    private async Task<UInt128[]> ReadRecentAsync(IDatabase db, string host)
    {
        try
        {
            var bytes = (byte[]?)await db.StringGetAsync(names.Recent(host));
            return bytes is null ? [] : HistoryPoint.ReadPacked(bytes);
        }
        catch (RedisServerException e)
        {
            WebLog.StoredSampleInvalid(logger, names.Recent(host), e.Message);
            return [];
        }
    }

    private Sample? Parse(string key, RedisValue value)
    {
        if (value.IsNull) return null;
        if (SampleJson.TryParse((byte[]?)value, out var sample, out var error)) return sample;
        WebLog.StoredSampleInvalid(logger, key, error);
        return null;
    }

    public override void Dispose()
    {
        _reconnected.Dispose();
        base.Dispose();
    }
}
