using LoadCluster.Samples;
using LoadCluster.Web.Board;

namespace LoadCluster.Web.Tests.Board;

/// <summary>The per-host history ring: points in time order, the newest kept.</summary>
public sealed class HistoryRingTests
{
    private static HistoryRing Ring(int capacity, IEnumerable<long> times)
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
}
