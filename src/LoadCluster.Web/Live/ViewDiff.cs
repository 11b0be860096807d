using LoadCluster.Web.Board;
using LoadCluster.Web.Overview;

namespace LoadCluster.Web.Live;

/// <summary>
/// What one overview view's clients on this replica hold, so that a push carries only what they
/// lack: rows that entered the view or changed since they were sent (by host version) and whose
/// rendering differs from what the clients hold (<see cref="Holds"/>), removals for rows that left, and the counts and the summary only when they changed. The whole body is sent
/// instead when the host list changed (every row's order moves), when the view turns empty or not,
/// at first and after a failed push. Rows wait their turn longest-waiting first, so under a byte
/// budget every row gets its turn. Pure: no rendering, clock or I/O; its owner calls it one push at a time.
/// </summary>
internal sealed class ViewDiff
{
    private Dictionary<string, SentRow>? _sent;
    private long _listVersion;
    private bool _wasEmpty;
    private long _push;
    private (int Shown, int Matching, int Live, int Stale, int Offline)? _counts;
    private string? _summary;

    /// <summary>What the next push of <paramref name="view"/> must carry.</summary>
    public ViewPlan Plan(OverviewView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_sent is null || _listVersion != view.ListVersion || (view.Rows.Count == 0) != _wasEmpty) return ViewPlan.Whole;
        var inView = new HashSet<string>(view.Rows.Select(r => r.Key.Name), StringComparer.Ordinal);
        var removed = _sent.Keys.Where(name => !inView.Contains(name)).ToList();
        // Rows new to the view first, then those whose last send is oldest.
        var due = view.Rows
            .Select(row => (Row: row, Last: _sent.TryGetValue(row.Key.Name, out var sent) ? sent : SentRow.Unknown))
            .Where(x => x.Last.Version != x.Row.Key.Version)
            .OrderBy(x => x.Last.Push)
            .ThenBy(x => x.Row.Order)
            .Select(x => x.Row)
            .ToList();
        return new ViewPlan(false, removed, due);
    }

    /// <summary>
    /// True when every client holds <paramref name="row"/> rendered as it is now, by <paramref name="shown"/>
    /// (a hash of what the row shows, from <see cref="RowShown"/>): a new sample that changed nothing shown.
    /// The row then counts as sent at its version, and need not go out.
    /// </summary>
    public bool Holds(OverviewRow row, ulong shown)
    {
        if (_sent is null || !_sent.TryGetValue(row.Key.Name, out var sent) || sent.Shown == SentRow.Unknown.Shown || sent.Shown != shown) return false;
        _sent[row.Key.Name] = sent with { Version = row.Key.Version };
        return true;
    }

    /// <summary>
    /// The push of <paramref name="plan"/> went out carrying these of its due rows, each with what it
    /// shows (all of the view for a whole body, what they show not known).
    /// </summary>
    public void Sent(OverviewView view, ViewPlan plan, IEnumerable<(OverviewRow Row, ulong Shown)> rows)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        if (plan.IsWhole)
        {
            _sent = view.Rows.ToDictionary(r => r.Key.Name, r => new SentRow(r.Key.Version, _push, SentRow.Unknown.Shown), StringComparer.Ordinal);
            _listVersion = view.ListVersion;
            _wasEmpty = view.Rows.Count == 0;
        }
        else if (_sent is not null)
        {
            foreach (var name in plan.Removed) _sent.Remove(name);
            foreach (var (row, shown) in rows) _sent[row.Key.Name] = new SentRow(row.Key.Version, _push, shown);
        }
        _push++;
    }

    /// <summary>True when the counts above the table differ from those last sent (then they count as sent).</summary>
    public bool CountsChanged(OverviewView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var counts = (view.Rows.Count, view.Matching, view.Count(HostState.Live), view.Count(HostState.Stale), view.Count(HostState.Offline));
        if (_counts == counts) return false;
        _counts = counts;
        return true;
    }

    /// <summary>True when the summary box's markup differs from that last sent (then it counts as sent).</summary>
    public bool SummaryChanged(string markup)
    {
        if (markup == _summary) return false;
        _summary = markup;
        return true;
    }

    /// <summary>
    /// A new client got the whole view, counts and summary as they are now. Rows it holds that the
    /// others may lack are due on the next push, and the counts and summary too (the new client's
    /// may be newer than the others').
    /// </summary>
    public void Joined(OverviewView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_sent is not null && _listVersion == view.ListVersion)
        {
            foreach (var row in view.Rows) _sent.TryAdd(row.Key.Name, SentRow.Unknown);
            // The new client holds each row as it is now, maybe not as the others hold it: no row is
            // known to be the same everywhere until it is sent again.
            foreach (var name in _sent.Keys.ToList()) _sent[name] = _sent[name] with { Shown = SentRow.Unknown.Shown };
        }
        _counts = null;
        _summary = null;
    }

    /// <summary>What the clients hold is unknown (a failed push, or nobody listens): the next push sends all.</summary>
    public void Forget()
    {
        _sent = null;
        _counts = null;
        _summary = null;
    }

    /// <summary>A row as last sent: the host version, the number of the push that sent it, and what it showed (0: not known).</summary>
    private readonly record struct SentRow(long Version, long Push, ulong Shown)
    {
        /// <summary>Not known to be on every client: due first.</summary>
        public static readonly SentRow Unknown = new(-1, -1, 0);
    }
}
