using System.Diagnostics.Metrics;
using LoadCluster.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// <c>loadcluster.redis.failovers</c> on a service's connection through real sentinels
/// (<see cref="TestSentinel"/>: a primary, a replica, three sentinels): one per promotion, none for
/// the old primary coming back as a replica.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class RedisFailoverMetricTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Each_promotion_is_one_failover_and_the_old_primary_returning_as_a_replica_is_none()
    {
        await using var sentinel = await TestSentinel.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = sentinel.ConnectionString });
        builder.AddClusterRedis("redis", "loadcluster");
        using var host = builder.Build();
        long failovers = 0;
        using var listener = Listen(host.Services.GetRequiredService<IMeterFactory>(), () => Interlocked.Increment(ref failovers));
        await host.StartAsync();
        try
        {
            var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
            var first = await sentinel.PrimaryPortAsync();
            await Wait.UntilAsync(async () => await PrimaryPortAsync(redis) == first, Patience, "the service writes to the first primary");

            var second = await sentinel.WaitForNewPrimaryAsync(await sentinel.KillPrimaryAsync(), Patience);
            await Wait.UntilAsync(async () => await PrimaryPortAsync(redis) == second, Patience, "the service writes to the promoted replica");
            await Wait.UntilAsync(() => Interlocked.Read(ref failovers) == 1, Patience, "one failover counted");

            await sentinel.StartNodeAsync(first);
            await sentinel.WaitForReplicaAsync(first, Patience);
            await Wait.UntilAsync(() => redis.GetServer("127.0.0.1", first).IsConnected, Patience, "the service connected to the old primary again");
            Assert.Equal(second, await PrimaryPortAsync(redis));
            Assert.Equal(1, Interlocked.Read(ref failovers));

            var third = await sentinel.WaitForNewPrimaryAsync(await sentinel.KillPrimaryAsync(), Patience);
            Assert.Equal(first, third);
            await Wait.UntilAsync(async () => await PrimaryPortAsync(redis) == third, Patience, "the service writes to the first node again");
            await Wait.UntilAsync(() => Interlocked.Read(ref failovers) == 2, Patience, "a second failover counted");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The port of the node a command that demands the primary reaches now (0 when none answers).</summary>
    private static async Task<int> PrimaryPortAsync(IConnectionMultiplexer redis)
    {
        try
        {
            return await redis.GetDatabase().IdentifyEndpointAsync(flags: CommandFlags.DemandMaster) is System.Net.IPEndPoint endpoint ? endpoint.Port : 0;
        }
        catch (RedisException)
        {
            return 0;
        }
    }

    /// <summary>Calls <paramref name="counted"/> for each failover this host's meters count (not another host's in this process).</summary>
    private static MeterListener Listen(IMeterFactory meters, Action counted)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "loadcluster.redis.failovers" && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            for (var i = 0; i < value; i++) counted();
        });
        listener.Start();
        return listener;
    }
}
