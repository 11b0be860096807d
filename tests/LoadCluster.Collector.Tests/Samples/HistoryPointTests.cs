using LoadCluster.Samples;

namespace LoadCluster.Collector.Tests.Samples;

/// <summary>The 16-byte history point: exact to hundredths, its layout pinned, a ring read back in time order (unpacked or packed).</summary>
public sealed class HistoryPointTests
{
    [Fact]
    public void A_point_keeps_its_time_exactly_and_each_value_to_the_hundredth()
    {
        var random = new Random(25);
        for (var i = 0; i < 10_000; i++)
        {
            var point = new HistoryPoint(1_700_000_000_000 + random.NextInt64(1L << 40), random.NextDouble() * 500, random.NextDouble() * 5000,
                random.NextDouble() * 10, random.NextDouble() * 100);
            var back = HistoryPoint.Unpack(point.Pack());
            Assert.Equal(point.Ts, back.Ts);
            Assert.Equal(Math.Round((decimal)point.Load1, 2, MidpointRounding.AwayFromZero), (decimal)back.Load1);
            Assert.Equal(Math.Round((decimal)point.Load5, 2, MidpointRounding.AwayFromZero), (decimal)back.Load5);
            Assert.Equal(Math.Round((decimal)point.Load15, 2, MidpointRounding.AwayFromZero), (decimal)back.Load15);
            Assert.Equal(Math.Round((decimal)point.Cpu, 2, MidpointRounding.AwayFromZero), (decimal)back.Cpu);
        }
    }

    [Fact]
    public void The_layout_is_pinned_and_out_of_range_values_are_clamped()
    {
        // Stored points outlive a release: this is the wire format (see HistoryPoint's remarks).
        var bytes = new HistoryPoint(0x0102_0304_0506, 0.01, 0.02, 0.03, 0.04).ToBytes();
        // ts 48 bits, then load1, load5, load15 in 20 bits and cpu in 14, each in hundredths, little-endian.
        Assert.Equal("06050403020101002000000300400000", Convert.ToHexString(bytes));
        var clamped = HistoryPoint.Unpack(new HistoryPoint(1, 1e9, -3, double.NaN, 250).Pack());
        Assert.Equal(new HistoryPoint(1, 10485.75, 0, 0, 100), clamped);
    }

    [Fact]
    public void A_ring_reads_back_oldest_first_without_empty_slots_repeats_or_a_torn_record()
    {
        var ring = new byte[5 * HistoryPoint.Size + 3];
        new HistoryPoint(3000, 3, 0, 0, 0).Write(ring.AsSpan(0));
        new HistoryPoint(1000, 1, 0, 0, 0).Write(ring.AsSpan(2 * HistoryPoint.Size));
        new HistoryPoint(2000, 2, 0, 0, 0).Write(ring.AsSpan(3 * HistoryPoint.Size));
        new HistoryPoint(2000, 2, 0, 0, 0).Write(ring.AsSpan(4 * HistoryPoint.Size));

        Assert.Equal([1000L, 2000, 3000], HistoryPoint.ReadAll(ring).Select(p => p.Ts));
        Assert.Equal(HistoryPoint.ReadAll(ring).Select(p => p.Pack()), HistoryPoint.ReadPacked(ring));
        Assert.Equal([1000L, 2000, 3000], HistoryPoint.ReadPacked(ring).Select(HistoryPoint.TsOf));
    }
}
