using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>
/// The running sums behind <see cref="ClusterTotals"/>, kept as each host's contribution changes
/// (a sample, a state change), so the summary costs the same at 5 hosts and 5,000. Loads and busy
/// cores are summed in thousandths as integers: adding and taking away again leaves no rounding
/// drift however long a replica runs. Only touched under the board's lock.
/// </summary>
internal sealed class FleetTotals
{
    private const double Scale = 1000;
    // A validated load is finite but may be absurd; clamping keeps every sum inside a long.
    private const double MaxValue = 1e9;

    private int _live, _stale, _offline, _cores;
    private long _load1, _load5, _load15, _busyCores, _memUsed, _memTotal;

    public void Add(Sample sample, HostState state) => Change(sample, state, +1);

    public void Remove(Sample sample, HostState state) => Change(sample, state, -1);

    public ClusterTotals ToTotals()
    {
        var cpu = _cores > 0 ? 100 * (_busyCores / Scale) / _cores : 0;
        return new ClusterTotals(_live + _stale + _offline, _live, _stale, _offline, _cores,
            _load1 / Scale, _load5 / Scale, _load15 / Scale, cpu, _memUsed, _memTotal);
    }

    private void Change(Sample s, HostState state, int sign)
    {
        switch (state)
        {
            case HostState.Live: _live += sign; break;
            case HostState.Stale: _stale += sign; break;
            default: _offline += sign; return; // an offline host's last numbers are history, not load
        }
        _cores += sign * s.Cores;
        _load1 += sign * Fixed(s.Load1);
        _load5 += sign * Fixed(s.Load5);
        _load15 += sign * Fixed(s.Load15);
        _busyCores += sign * Fixed(s.Cpu / 100 * s.Cores);
        _memUsed += sign * s.MemUsed;
        _memTotal += sign * s.MemTotal;
    }

    private static long Fixed(double value) => (long)Math.Round(Math.Min(value, MaxValue) * Scale);
}
