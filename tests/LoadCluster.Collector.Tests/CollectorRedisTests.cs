using System.Threading.Channels;
using LoadCluster.Collector.Proc;
using LoadCluster.Samples;
using LoadCluster.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LoadCluster.Collector.Tests;

/// <summary>
/// The Collector against a real Redis in a container, sampling this machine's /proc every 200 ms.
/// Tests that leave Redis running share one container (each with its own prefix); outage tests get their own.
/// </summary>
public sealed class CollectorRedisTests(SharedRedis shared) : IClassFixture<SharedRedis>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Samples_arrive_on_the_hosts_own_channel_and_only_its_own_keys_are_kept_with_ttl()
    {
        var redis = shared.Redis;
        using var observer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var names = new RedisNames("t1");
        var received = await SubscribeAsync(observer, names);
        var logs = new LogCollector();
        using var host = CollectorHost.Build(redis.ConnectionString, "probe-1", names.Prefix, logs);
        await host.StartAsync();
        try
        {
            var first = await NextSampleAsync(received, _ => true);
            var second = await NextSampleAsync(received, s => s.Ts > first.Ts);
            foreach (var sample in new[] { first, second })
            {
                Assert.Equal("probe-1", sample.Host);
                Assert.Equal(200, sample.IntervalMs);
                Assert.Equal(new ProcReader("/proc").ReadStat().PerCore.Count, sample.Cores);
                Assert.Null(SampleJson.Validate(sample));
            }

            var db = observer.GetDatabase();
            Assert.True(SampleJson.TryParse((byte[])(await db.StringGetAsync(names.Latest("probe-1")))!, out var latest, out var error), error);
            Assert.Equal("probe-1", latest.Host);
            // The latest sample lives as long as the history, so a replica started later still lists the host.
            Assert.InRange((await db.KeyTimeToLiveAsync(names.Latest("probe-1")))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
            var recent = HistoryPoint.ReadAll((byte[])(await db.StringGetAsync(names.Recent("probe-1")))!);
            Assert.InRange(recent.Count, 1, 15 * 60 * 5);
            Assert.Contains(HistoryPoint.Of(latest), recent);
            Assert.InRange((await db.KeyTimeToLiveAsync(names.Recent("probe-1")))!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
            // The hosts index is the web replicas' to keep: a host's user may not write it.
            Assert.False(await db.KeyExistsAsync(names.Hosts));
            var info = CollectorInfo.TryParse((byte[])(await db.StringGetAsync(names.Collector("probe-1")))!);
            Assert.NotNull(info);
            Assert.Equal(("probe-1", 200, Environment.ProcessId), (info.Host, info.IntervalMs, info.Pid));
            Assert.InRange((await db.KeyTimeToLiveAsync(names.Collector("probe-1")))!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Collector_keeps_sampling_through_a_redis_outage_and_publishes_again_when_it_returns()
    {
        await using var redis = await TestRedis.StartAsync();
        using var observer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var names = new RedisNames("t2");
        var received = await SubscribeAsync(observer, names);
        var logs = new LogCollector();
        using var host = CollectorHost.Build(redis.ConnectionString, "probe-2", names.Prefix, logs);
        await host.StartAsync();
        try
        {
            await NextSampleAsync(received, _ => true);

            await redis.StopAsync();
            await WaitUntilAsync(() => logs.WithEventId(2005).Any(), "a warning that publishing stopped");
            await Task.Delay(TimeSpan.FromSeconds(2)); // ten ticks with Redis away
            var worker = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();
            Assert.False(worker.ExecuteTask!.IsCompleted, "the sampling loop ended while Redis was away");

            var restartedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await redis.StartAsync();
            // The restarted Redis is empty: the latest key comes back only if the collector publishes again.
            await WaitUntilAsync(async () => await observer.GetDatabase().KeyExistsAsync(names.Latest("probe-2")), "the latest sample came back after Redis returned");
            await NextSampleAsync(received, s => s.Ts > restartedAt);
            await WaitUntilAsync(() => logs.WithEventId(2006).Any(), "an info line that publishing resumed");

            Assert.Single(logs.WithEventId(2005));
            Assert.Single(logs.WithEventId(2006));
            Assert.Contains("samples were dropped", logs.WithEventId(2006).Single().Message, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Collector_starts_without_redis_and_publishes_once_redis_appears()
    {
        await using var redis = await TestRedis.StartAsync();
        await redis.StopAsync();
        var names = new RedisNames("t4");
        var logs = new LogCollector();
        using var host = CollectorHost.Build(redis.ConnectionString, "probe-4", names.Prefix, logs);
        await host.StartAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            await redis.StartAsync();
            using var observer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            await WaitUntilAsync(async () => await observer.GetDatabase().KeyExistsAsync(names.Latest("probe-4")), "a sample reached Redis after it appeared");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Heartbeat_file_is_rewritten_after_samples_for_the_container_health_check()
    {
        var redis = shared.Redis;
        var dir = Directory.CreateTempSubdirectory("loadcluster-heartbeat-");
        var file = Path.Combine(dir.FullName, "heartbeat");
        try
        {
            using var host = CollectorHost.Build(redis.ConnectionString, "probe-5", "t5", new LogCollector(),
                settings: new Dictionary<string, string?> { ["Collector:HeartbeatFile"] = file });
            await host.StartAsync();
            try
            {
                await WaitUntilAsync(() => File.Exists(file), "the heartbeat file was written");
                var first = File.GetLastWriteTimeUtc(file);
                await WaitUntilAsync(() => File.GetLastWriteTimeUtc(file) > first, "the heartbeat file was rewritten");
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missing_proc_file_fails_the_start_naming_the_file()
    {
        var redis = shared.Redis;
        var proc = Fixture.CopyOfReal(without: "meminfo");
        try
        {
            var logs = new LogCollector();
            using var host = CollectorHost.Build(redis.ConnectionString, "probe-3", "t3", logs, proc.FullName);
            var error = await Assert.ThrowsAsync<ProcFileException>(() => host.StartAsync());
            Assert.Equal(Path.Combine(proc.FullName, "meminfo"), error.FilePath);
            Assert.Contains(logs.WithEventId(2002), e => e.Message.Contains(error.FilePath, StringComparison.Ordinal));
        }
        finally
        {
            proc.Delete(recursive: true);
        }
    }

    private static async Task<ChannelReader<byte[]>> SubscribeAsync(ConnectionMultiplexer observer, RedisNames names)
    {
        var channel = Channel.CreateUnbounded<byte[]>();
        await observer.GetSubscriber().SubscribeAsync(
            RedisChannel.Pattern(names.SamplesChannelPattern),
            (from, message) =>
            {
                // Each host publishes on its own channel only.
                var sample = (byte[])message!;
                if (SampleJson.TryParse(sample, out var parsed, out _)) Assert.Equal(names.SamplesChannel(parsed.Host), (string?)from);
                channel.Writer.TryWrite(sample);
            });
        return channel.Reader;
    }

    private static async Task<Sample> NextSampleAsync(ChannelReader<byte[]> received, Func<Sample, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            byte[] message;
            try { message = await received.ReadAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"no wanted sample on the channel within {Patience.TotalSeconds} s"); }
            Assert.True(SampleJson.TryParse(message, out var sample, out var error), error);
            if (wanted(sample)) return sample;
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Wait.UntilAsync(() => Safe(condition), Patience, what);

    private static async Task<bool> Safe(Func<Task<bool>> condition)
    {
        try { return await condition(); }
        catch (RedisException) { return false; }
    }
}
