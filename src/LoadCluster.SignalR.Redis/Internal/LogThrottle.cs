using System.Diagnostics;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// Lets one log line through per period and counts the rest, so an outage under traffic writes a
/// line a second instead of one per failed send.
/// </summary>
internal sealed class LogThrottle(TimeSpan period)
{
    private long _nextTicks;
    private int _suppressed;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> says how many were not since the last one.</summary>
    public bool ShouldLog(out int suppressed)
    {
        var now = Stopwatch.GetTimestamp();
        var next = Interlocked.Read(ref _nextTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextTicks, now + (long)(period.TotalSeconds * Stopwatch.Frequency), next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
