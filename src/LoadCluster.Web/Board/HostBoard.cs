using LoadCluster.Samples;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Board;

/// <summary>
/// This web node's picture of the fleet: per host the latest sample, when this node received it,
/// and a bounded history for the charts; the fleet's totals, kept as hosts change. Fed by the relay
/// (one writer), read by pages, the state watcher and the pushes (many readers); one lock keeps it
/// simple, the work under it is tiny. Every change bumps a counter, stored as the host's
/// <see cref="HostEntry.Version"/>; adding a host bumps the list version (see <see cref="Keys"/>).
/// Whoever changes it announces which hosts changed, once per batch (<see cref="Announce"/>); the
/// live streams listen (<see cref="Changed"/>), so the board knows nothing of them.
/// </summary>
internal sealed class HostBoard(TimeProvider time, IOptions<LoadBoardOptions> options)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, HostEntry> _hosts = new(StringComparer.Ordinal);
    private readonly FleetTotals _totals = new();
    private readonly LoadBoardOptions _options = options.Value;
    private long _version;
    private long _listVersion;

    /// <summary>Raised by <see cref="Announce"/>, on the changer's thread: listeners only take note.</summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    /// <summary>Tells the listeners which hosts a batch of changes touched (samples, a load, state transitions).</summary>
    public void Announce(IReadOnlyCollection<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count > 0) Changed?.Invoke(hosts);
    }

    /// <summary>Records a sample received now. Older or repeated samples (by <c>ts</c>) are ignored.</summary>
    public ApplyResult Apply(Sample sample, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_gate)
        {
            if (!_hosts.TryGetValue(sample.Host, out var entry))
            {
                entry = new HostEntry(sample, receivedAt, _options.HistoryPoints) { ReportedState = HostState.Live, Version = ++_version };
                entry.History.Add(HistoryPoint.Of(sample));
                _hosts.Add(sample.Host, entry);
                _totals.Add(sample, HostState.Live);
                _listVersion++;
                return ApplyResult.NewHost;
            }
            if (sample.Ts <= entry.Latest.Ts) return ApplyResult.Ignored;
            _totals.Remove(entry.Latest, entry.ReportedState);
            entry.Latest = sample;
            entry.ReceivedAt = receivedAt;
            entry.ReportedState = HostState.Live;
            entry.Version = ++_version;
            entry.History.Add(HistoryPoint.Of(sample));
            _totals.Add(sample, HostState.Live);
            return ApplyResult.Updated;
        }
    }

    /// <summary>
    /// Loads a host from Redis (start-up, Redis reconnect). Its receive time is taken as the sample
    /// time, since this node did not see it arrive. Nothing either side holds is lost: a host this
    /// node already knows keeps its newer data, and its history gains the loaded points it lacks (the
    /// relay runs while the loader does, so it often applies a host's first sample before the host is loaded).
    /// </summary>
    /// <param name="latest">The newest sample known for the host.</param>
    /// <param name="history">Its recent history, packed as Redis keeps it, oldest first, one per time (<see cref="HistoryPoint.ReadPacked"/>).</param>
    public void Seed(Sample latest, ReadOnlySpan<UInt128> history)
    {
        ArgumentNullException.ThrowIfNull(latest);
        var now = time.GetUtcNow();
        // Built before the lock is taken: the relay applies samples meanwhile.
        var loaded = new HostEntry(latest, latest.Time < now ? latest.Time : now, _options.HistoryPoints);
        var before = history.Length;
        while (before > 0 && HistoryPoint.TsOf(history[before - 1]) >= latest.Ts) before--;
        loaded.History.Merge(history[..before]);
        loaded.History.Add(HistoryPoint.Of(latest));
        lock (_gate)
        {
            if (_hosts.TryGetValue(latest.Host, out var known))
            {
                if (known.Latest.Ts >= latest.Ts)
                {
                    if (known.History.Merge(loaded.History.ToPacked())) known.Version = ++_version;
                    return;
                }
                loaded.History.Merge(known.History.ToPacked());
                _totals.Remove(known.Latest, known.ReportedState);
            }
            else
            {
                _listVersion++;
            }
            loaded.ReportedState = StateOf(loaded, now);
            loaded.Version = ++_version;
            _totals.Add(latest, loaded.ReportedState);
            _hosts[latest.Host] = loaded;
        }
    }

    /// <summary>One host with at most <paramref name="history"/> points of history; null when unknown.</summary>
    public HostSnapshot? Get(string name, int history = int.MaxValue)
    {
        var now = time.GetUtcNow();
        lock (_gate) return _hosts.TryGetValue(name, out var entry) ? SnapshotOf(name, entry, now, history) : null;
    }

    /// <summary>Every host, ordered by name, each with at most <paramref name="history"/> points of history.</summary>
    public IReadOnlyList<HostSnapshot> All(int history = int.MaxValue)
    {
        var now = time.GetUtcNow();
        lock (_gate) return [.. _hosts.Select(kv => SnapshotOf(kv.Key, kv.Value, now, history))];
    }

    /// <summary>
    /// Every host's sort and filter key, in name order, with the list version they belong to (it grows
    /// when a host is added, which moves other hosts' places in name order).
    /// </summary>
    public (IReadOnlyList<HostKey> Keys, long ListVersion) Keys()
    {
        lock (_gate)
        {
            var keys = new HostKey[_hosts.Count];
            var rank = 0;
            foreach (var (name, e) in _hosts)
            {
                var s = e.Latest;
                keys[rank] = new HostKey(name, rank, e.ReportedState, s.Load1, s.Load5, s.Load15, s.Cores, s.Cpu,
                    s.MemTotal > 0 ? 100.0 * s.MemUsed / s.MemTotal : 0, e.Version);
                rank++;
            }
            return (keys, _listVersion);
        }
    }

    /// <summary>The fleet's totals, from the running sums (constant time).</summary>
    public ClusterTotals Totals()
    {
        lock (_gate) return _totals.ToTotals();
    }

    /// <summary>
    /// The hosts whose state changed since it was last reported (by a sample or by this method),
    /// marking them reported: each transition is returned once.
    /// </summary>
    public IReadOnlyList<string> TakeTransitions()
    {
        var now = time.GetUtcNow();
        List<string>? changed = null;
        lock (_gate)
        {
            foreach (var (name, entry) in _hosts)
            {
                var state = StateOf(entry, now);
                if (state == entry.ReportedState) continue;
                _totals.Remove(entry.Latest, entry.ReportedState);
                entry.ReportedState = state;
                entry.Version = ++_version;
                _totals.Add(entry.Latest, state);
                (changed ??= []).Add(name);
            }
        }
        return changed ?? (IReadOnlyList<string>)[];
    }

    private HostSnapshot SnapshotOf(string name, HostEntry e, DateTimeOffset now, int history) =>
        new(name, e.Latest, e.ReceivedAt, StateOf(e, now), e.History.ToArray(history));

    private HostState StateOf(HostEntry e, DateTimeOffset now)
    {
        var age = now - e.ReceivedAt;
        if (age >= _options.OfflineAfter) return HostState.Offline;
        var interval = TimeSpan.FromMilliseconds(e.Latest.IntervalMs ?? 1000);
        return age >= 3 * interval ? HostState.Stale : HostState.Live;
    }
}
