using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>
/// A fixed-size ring of history points, each kept packed (<see cref="HistoryPoint.Pack"/>, 16 bytes):
/// memory per host stays bounded however long it runs, and a full ring of 600 points is one 9.6 KB array.
/// The array grows to its capacity as points arrive, so a host seen for a minute costs a minute's points.
/// Points are in time order, one per time: the relay adds only newer samples, and <see cref="Merge"/> keeps the order.
/// </summary>
internal sealed class HistoryRing(int capacity)
{
    private const int FirstSize = 64;

    private UInt128[] _points = new UInt128[Math.Min(FirstSize, capacity)];
    private int _next;

    public int Count { get; private set; }

    public void Add(HistoryPoint point)
    {
        if (Count == _points.Length && _points.Length < capacity)
        {
            // Not wrapped yet while growing: the points are in order from index 0, and the next goes after them
            // (not at _next, which has come round to 0: the new point would overwrite the oldest and the rest read as empty slots).
            Array.Resize(ref _points, Math.Min(capacity, _points.Length * 2));
            _next = Count;
        }
        _points[_next] = point.Pack();
        _next = (_next + 1) % _points.Length;
        Count = Math.Min(Count + 1, _points.Length);
    }

    /// <summary>The newest <paramref name="max"/> points (all by default), oldest first.</summary>
    public HistoryPoint[] ToArray(int max = int.MaxValue)
    {
        var count = Math.Min(Count, Math.Max(0, max));
        var result = new HistoryPoint[count];
        for (var i = 0; i < count; i++) result[i] = HistoryPoint.Unpack(At(Count - count + i));
        return result;
    }

    /// <summary>Every point, packed, oldest first.</summary>
    public UInt128[] ToPacked()
    {
        var result = new UInt128[Count];
        for (var i = 0; i < Count; i++) result[i] = At(i);
        return result;
    }

    /// <summary>
    /// Adds <paramref name="points"/> (packed, oldest first, one per time) to those held: the ring then
    /// holds the newest of both, in time order, one per time (its own point where both have one).
    /// </summary>
    /// <returns>Whether any of <paramref name="points"/> is now held.</returns>
    public bool Merge(ReadOnlySpan<UInt128> points)
    {
        if (points.IsEmpty) return false;
        var merged = new UInt128[Count + points.Length];
        int own = 0, other = 0, count = 0, lastOther = -1;
        while (own < Count || other < points.Length)
        {
            var takeOwn = other == points.Length || own < Count && HistoryPoint.TsOf(At(own)) <= HistoryPoint.TsOf(points[other]);
            var point = takeOwn ? At(own++) : points[other++];
            if (count > 0 && HistoryPoint.TsOf(merged[count - 1]) == HistoryPoint.TsOf(point)) continue;
            if (!takeOwn) lastOther = count;
            merged[count++] = point;
        }
        var kept = Math.Min(count, capacity);
        _points = new UInt128[Math.Max(kept, Math.Min(FirstSize, capacity))];
        merged.AsSpan(count - kept, kept).CopyTo(_points);
        Count = kept;
        _next = kept % _points.Length;
        return lastOther >= count - kept;
    }

    /// <summary>The <paramref name="index"/>th oldest point held, packed.</summary>
    private UInt128 At(int index) => _points[(_next - Count + index + _points.Length) % _points.Length];
}
