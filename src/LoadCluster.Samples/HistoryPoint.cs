using System.Buffers.Binary;

namespace LoadCluster.Samples;

/// <summary>
/// One point of a host's history: what the charts draw and the pages show of it, kept in 16 bytes
/// wherever it is stored (Redis, a replica's memory), not as a sample's JSON or an object.
/// </summary>
/// <remarks>
/// Packed form, a little-endian 128-bit integer (never change the layout: stored points outlive
/// a release): bits 0-47 <c>ts</c> (Unix ms); 48-67 <c>load1</c>, 68-87 <c>load5</c>, 88-107
/// <c>load15</c>, each in hundredths (0 to 10485.75, higher is clamped); 108-121 <c>cpu</c> in
/// hundredths of a percent (0 to 100.00); 122-127 zero. Hundredths are what the pages show of a
/// load (<c>0.00</c>), so a point packed and unpacked renders as the sample did (the charts draw load 1
/// and load 5 of a point; load 15 and CPU are kept for the API's and pages' use at the same precision).
/// An all-zero record is an empty slot.
/// </remarks>
public readonly record struct HistoryPoint(long Ts, double Load1, double Load5, double Load15, double Cpu)
{
    public const int Size = 16;

    private const int LoadBits = 20, CpuBits = 14, TsBits = 48;

    public static HistoryPoint Of(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new(sample.Ts, sample.Load1, sample.Load5, sample.Load15, sample.Cpu);
    }

    public UInt128 Pack() =>
        (UInt128)(ulong)(Ts & ((1L << TsBits) - 1))
        | (UInt128)Hundredths(Load1, LoadBits) << TsBits
        | (UInt128)Hundredths(Load5, LoadBits) << (TsBits + LoadBits)
        | (UInt128)Hundredths(Load15, LoadBits) << (TsBits + 2 * LoadBits)
        | (UInt128)Hundredths(Math.Min(Cpu, 100), CpuBits) << (TsBits + 3 * LoadBits);

    public static HistoryPoint Unpack(UInt128 packed) => new(
        TsOf(packed),
        Field(packed, TsBits, LoadBits), Field(packed, TsBits + LoadBits, LoadBits), Field(packed, TsBits + 2 * LoadBits, LoadBits),
        Field(packed, TsBits + 3 * LoadBits, CpuBits));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt128LittleEndian(destination, Pack());

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    /// <summary>
    /// Every point of a stored run of records (a ring written slot by slot), oldest first, one per
    /// time: empty slots, a trailing partial record and repeated times are skipped.
    /// </summary>
    public static List<HistoryPoint> ReadAll(ReadOnlySpan<byte> records) => [.. ReadPacked(records).Select(Unpack)];

    /// <summary>
    /// The points of a stored run of records as <see cref="ReadAll"/> reads them, left packed: a
    /// replica's board keeps points packed, so loading 10,000 hosts' history at start-up neither
    /// unpacks nor packs 9 million points.
    /// </summary>
    public static UInt128[] ReadPacked(ReadOnlySpan<byte> records)
    {
        var times = new long[records.Length / Size];
        var points = new UInt128[times.Length];
        var count = 0;
        for (var at = 0; at + Size <= records.Length; at += Size)
        {
            var packed = BinaryPrimitives.ReadUInt128LittleEndian(records.Slice(at, Size));
            // An empty slot is all zero; a record without a time is no point either.
            var ts = TsOf(packed);
            if (ts == 0) continue;
            times[count] = ts;
            points[count] = packed;
            count++;
        }
        Array.Sort(times, points, 0, count);
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (kept > 0 && times[i] == times[kept - 1]) continue;
            times[kept] = times[i];
            points[kept] = points[i];
            kept++;
        }
        return points[..kept];
    }

    /// <summary>The <c>ts</c> of a packed point, to order packed points without unpacking them.</summary>
    public static long TsOf(UInt128 packed) => (long)(ulong)(packed & ((1UL << TsBits) - 1));

    // Rounded as the pages' "0.00" rounds (the double's 15 significant digits, half away from zero),
    // which value * 100 in doubles does not always match.
    private static ulong Hundredths(double value, int bits)
    {
        var max = (1UL << bits) - 1;
        if (!double.IsFinite(value) || value <= 0) return 0;
        if (value >= max / 100.0) return max;
        return (ulong)Math.Round((decimal)value * 100, MidpointRounding.AwayFromZero);
    }

    private static double Field(UInt128 packed, int shift, int bits) => (ulong)((packed >> shift) & ((1UL << bits) - 1)) / 100.0;
}
