using LoadCluster.Samples;
using LoadCluster.Web.Board;

namespace LoadCluster.Web.Tests.Board;

/// <summary>The per-host history ring: points in time order, one per time, the newest kept, whether added one by one or merged.</summary>
public sealed class HistoryRingTests
{
    private static UInt128 Point(long ts, double load1 = 1) => new HistoryPoint(ts, load1, 0, 0, 0).Pack();

    private static HistoryRing Ring(int capacity, params IEnumerable<long> times)
    {
        var ring = new HistoryRing(capacity);
        foreach (var ts in times) ring.Add(new HistoryPoint(ts, 1, 0, 0, 0));
        return ring;
    }

    [Fact]
    public void A_ring_growing_past_its_first_array_keeps_every_point_then_the_newest()
    {
        // Its array starts at 64 points and doubles up to the capacity.
        Assert.Equal(Enumerable.Range(1, 65).Select(i => i * 1000L), Ring(600, Enumerable.Range(1, 65).Select(i => i * 1000L)).ToArray().Select(p => p.Ts));
        Assert.Equal(Enumerable.Range(201, 600).Select(i => i * 1000L), Ring(600, Enumerable.Range(1, 800).Select(i => i * 1000L)).ToArray().Select(p => p.Ts));
        Assert.Equal([799_000L, 800_000], Ring(600, Enumerable.Range(1, 800).Select(i => i * 1000L)).ToArray(max: 2).Select(p => p.Ts));
    }

    [Fact]
    public void Merged_points_go_in_time_order_around_the_ones_it_holds()
    {
        var ring = Ring(10, 4000, 5000);

        Assert.True(ring.Merge([Point(1000), Point(2000), Point(4500), Point(6000)]));

        Assert.Equal([1000L, 2000, 4000, 4500, 5000, 6000], ring.ToArray().Select(p => p.Ts));
        Assert.Equal(ring.ToArray().Select(p => p.Pack()), ring.ToPacked());
    }

    [Fact]
    public void A_time_it_holds_keeps_its_own_point()
    {
        var ring = Ring(10, 2000);

        Assert.True(ring.Merge([Point(1000, load1: 7), Point(2000, load1: 9)]));

        Assert.Equal([new HistoryPoint(1000, 7, 0, 0, 0), new HistoryPoint(2000, 1, 0, 0, 0)], ring.ToArray());
    }

    [Fact]
    public void Past_its_capacity_it_keeps_the_newest_and_tells_when_none_of_the_merged_points_were_kept()
    {
        var full = Ring(3, 7000, 8000, 9000);
        Assert.False(full.Merge([Point(1000), Point(2000)]));
        Assert.Equal([7000L, 8000, 9000], full.ToArray().Select(p => p.Ts));

        var ring = Ring(3, 5000);
        Assert.True(ring.Merge([Point(1000), Point(2000), Point(3000), Point(4000)]));
        Assert.Equal([3000L, 4000, 5000], ring.ToArray().Select(p => p.Ts));
    }

    [Fact]
    public void Points_added_after_a_merge_follow_it_and_push_out_the_oldest()
    {
        var ring = Ring(4, 100, 200, 300, 400, 500); // wrapped: holds 200 to 500
        ring.Merge([Point(50), Point(450)]);
        Assert.Equal([300L, 400, 450, 500], ring.ToArray().Select(p => p.Ts));

        ring.Add(new HistoryPoint(600, 1, 0, 0, 0));
        ring.Add(new HistoryPoint(700, 1, 0, 0, 0));

        Assert.Equal([450L, 500, 600, 700], ring.ToArray().Select(p => p.Ts));
        Assert.Equal([600L, 700], ring.ToArray(max: 2).Select(p => p.Ts));
    }

    [Fact]
    public void A_ring_merged_while_it_grows_keeps_growing_to_its_capacity()
    {
        var ring = new HistoryRing(200);
        ring.Merge([.. Enumerable.Range(1, 70).Select(i => Point(i * 1000L))]);

        for (var i = 71; i <= 250; i++) ring.Add(new HistoryPoint(i * 1000L, 1, 0, 0, 0));

        Assert.Equal(Enumerable.Range(51, 200).Select(i => i * 1000L), ring.ToArray().Select(p => p.Ts));
    }
}
