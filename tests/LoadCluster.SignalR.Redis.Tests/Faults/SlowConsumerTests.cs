using System.Diagnostics.Metrics;
using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Faults;

/// <summary>A connection stops reading while other servers keep sending: the receiving server's memory stays bounded.</summary>
public sealed class SlowConsumerTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Capacity = 10;
    private const int Flood = 500;

    [Fact]
    public async Task A_stuck_connection_keeps_the_receive_queue_bounded_drops_the_oldest_counted_and_logged_and_delivery_resumes_when_it_unblocks()
    {
        long overflowMeasured = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RedisBackplaneExtensions.MeterName && instrument.Name == "loadcluster.backplane.failures") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "operation", Value: "receive-overflow" }) Interlocked.Add(ref overflowMeasured, value);
            }
        });
        listener.Start();
        await using var cluster = await Cluster.StartAsync(2, redis.ConnectionString, o => o.ReceiveQueueCapacity = Capacity);
        var stuck = await cluster[1].ConnectAsync(holdWrites: true);
        var healthy = await cluster[1].ConnectAsync();
        var receiver = cluster[1].Redis;

        // Once the healthy connection has "first", the reader loop is waiting on the stuck one.
        await cluster[0].Manager.SendAllAsync("m", ["first"]);
        Assert.Equal("first", (await healthy.NextAsync()).FirstArgument);
        for (var i = 0; i < Flood; i++) await cluster[0].Manager.SendAllAsync("m", [i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (receiver.ReceiveDropCount < Flood - Capacity && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(Flood - Capacity, receiver.ReceiveDropCount);
        Assert.Equal(Capacity, receiver.ReceiveQueueCount);
        Assert.Equal(Flood - Capacity, Interlocked.Read(ref overflowMeasured));
        var logged = cluster[1].Logs.Entries.Where(e => e.EventId == 17).ToList();
        Assert.NotEmpty(logged);
        Assert.True(logged.Count < 20, $"{logged.Count} overflow lines: the log is throttled to one a second");
        Assert.Empty(await healthy.DrainAsync());

        stuck.ReleaseWrites();

        // The newest messages were kept, in order; then delivery goes on as usual.
        string[] kept = ["first", .. Enumerable.Range(Flood - Capacity, Capacity).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(kept, (await stuck.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument));
        Assert.Equal(kept[1..], (await healthy.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument));
        await cluster[0].Manager.SendAllAsync("m", ["after"]);
        await Expect.EachOnceAsync([stuck, healthy], "after");
        Assert.Equal(0, receiver.ReceiveQueueCount);
        Assert.Equal(Flood - Capacity, receiver.ReceiveDropCount);
    }
}
