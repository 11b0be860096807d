namespace LoadCluster.Web.Board;

/// <summary>A fixed-size ring of history points: memory per host stays bounded however long it runs.</summary>
internal sealed class HistoryRing(int capacity)
{
    private readonly HistoryPoint[] _points = new HistoryPoint[capacity];
    private int _next;

    public int Count { get; private set; }

    public void Add(HistoryPoint point)
    {
        _points[_next] = point;
        _next = (_next + 1) % _points.Length;
        Count = Math.Min(Count + 1, _points.Length);
    }

    /// <summary>The newest <paramref name="max"/> points (all by default), oldest first.</summary>
    public HistoryPoint[] ToArray(int max = int.MaxValue)
    {
        var count = Math.Min(Count, Math.Max(0, max));
        var result = new HistoryPoint[count];
        var start = (_next - count + _points.Length) % _points.Length;
        for (var i = 0; i < count; i++) result[i] = _points[(start + i) % _points.Length];
        return result;
    }
}
