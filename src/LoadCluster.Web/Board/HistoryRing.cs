using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>
/// A fixed-size ring of history points, each kept packed (<see cref="HistoryPoint.Pack"/>, 16 bytes):
/// memory per host stays bounded however long it runs, and a full ring of 600 points is one 9.6 KB array.
/// The array grows to its capacity as points arrive, so a host seen for a minute costs a minute's points.
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
        var start = (_next - count + _points.Length) % _points.Length;
        for (var i = 0; i < count; i++) result[i] = HistoryPoint.Unpack(_points[(start + i) % _points.Length]);
        return result;
    }
}
