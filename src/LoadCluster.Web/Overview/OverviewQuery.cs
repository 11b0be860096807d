using System.Text;
using LoadCluster.Samples;
using LoadCluster.Web.Board;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LoadCluster.Web.Overview;

/// <summary>
/// What the overview shows: sort column and direction, a host name fragment, a state, and whether
/// to show every matching host or only the first <see cref="LoadBoardOptions.OverviewRows"/>. It
/// lives in the URL (<c>/?sort=load1&amp;dir=desc&amp;q=web&amp;state=stale&amp;show=all</c>), so links,
/// Turbo Drive and pages without JavaScript all work, and in the stream name
/// (<c>hosts?sort=load1&amp;q=web</c>; plain <c>hosts</c> for the default view), so every client of
/// one view shares one stream, rendered once per push.
/// </summary>
public sealed record OverviewQuery(OverviewSort Sort, bool Descending, string Filter, HostState? State, bool ShowAll)
{
    public static readonly OverviewQuery Default = new(OverviewSort.Attention, false, "", null, false);

    private static readonly (string Name, OverviewSort Sort)[] SortNames =
    [
        ("attention", OverviewSort.Attention), ("host", OverviewSort.Host), ("state", OverviewSort.State),
        ("load1", OverviewSort.Load1), ("load5", OverviewSort.Load5), ("load15", OverviewSort.Load15),
        ("cpu", OverviewSort.Cpu), ("mem", OverviewSort.Memory),
    ];

    /// <summary>Numbers read worst first; names and states read A to Z.</summary>
    public static bool DescendingByDefault(OverviewSort sort) => sort is not (OverviewSort.Attention or OverviewSort.Host or OverviewSort.State);

    public static string NameOf(OverviewSort sort) => SortNames.First(s => s.Sort == sort).Name;

    /// <summary>Parses the overview's query string. Every bad value gives an error naming the parameter; the good ones are kept.</summary>
    public static (OverviewQuery Query, IReadOnlyList<string> Errors) Parse(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var result = Default;
        if (values.TryGetValue("sort", out var sort) && sort.Length > 0)
        {
            var match = SortNames.FirstOrDefault(s => s.Name.Equals(sort, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null) errors.Add($"sort: unknown column '{Shorten(sort)}'; use one of {string.Join(", ", SortNames.Select(s => s.Name))}.");
            else result = result with { Sort = match.Sort };
        }
        result = result with { Descending = DescendingByDefault(result.Sort) };
        if (values.TryGetValue("dir", out var dir) && dir.Length > 0)
        {
            if (dir.Equals("asc", StringComparison.OrdinalIgnoreCase)) result = result with { Descending = false };
            else if (dir.Equals("desc", StringComparison.OrdinalIgnoreCase)) result = result with { Descending = true };
            else errors.Add($"dir: must be asc or desc, not '{Shorten(dir)}'.");
        }
        if (values.TryGetValue("q", out var filter) && filter.Trim().Length > 0)
        {
            filter = filter.Trim();
            if (!HostName.IsValid(filter)) errors.Add($"q: a host name fragment is {HostName.Rule}; '{Shorten(filter)}' is not.");
            else result = result with { Filter = filter.ToLowerInvariant() };
        }
        if (values.TryGetValue("state", out var state) && state.Length > 0 && !state.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            HostState? parsed = state.ToLowerInvariant() switch
            {
                "live" => HostState.Live,
                "stale" => HostState.Stale,
                "offline" => HostState.Offline,
                _ => null,
            };
            if (parsed is null) errors.Add($"state: must be live, stale, offline or all, not '{Shorten(state)}'.");
            else result = result with { State = parsed };
        }
        if (values.TryGetValue("show", out var show) && show.Length > 0)
        {
            if (show.Equals("all", StringComparison.OrdinalIgnoreCase)) result = result with { ShowAll = true };
            else if (!show.Equals("top", StringComparison.OrdinalIgnoreCase)) errors.Add($"show: must be all or top, not '{Shorten(show)}'.");
        }
        return (result, errors);
    }

    /// <summary>The query back from a stream name made by <see cref="StreamName"/>; null for any other stream.</summary>
    public static OverviewQuery? FromStreamName(string streamName)
    {
        ArgumentNullException.ThrowIfNull(streamName);
        if (streamName == StreamNames.Hosts) return Default;
        var prefix = StreamNames.Hosts + "?";
        if (!streamName.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var (query, errors) = Parse(QueryHelpers.ParseQuery(streamName[prefix.Length..]));
        return errors.Count == 0 ? query : null;
    }

    /// <summary>Only the parameters that differ from the default, in a fixed order: one spelling per view.</summary>
    public string QueryString
    {
        get
        {
            var parts = new List<string>();
            if (Sort != OverviewSort.Attention) parts.Add("sort=" + NameOf(Sort));
            if (Descending != DescendingByDefault(Sort)) parts.Add("dir=" + (Descending ? "desc" : "asc"));
            if (Filter.Length > 0) parts.Add("q=" + Uri.EscapeDataString(Filter));
            if (State is { } state) parts.Add("state=" + HostStates.Name(state));
            if (ShowAll) parts.Add("show=all");
            return string.Join('&', parts);
        }
    }

    /// <summary>The stream this view's page listens to.</summary>
    public string StreamName => QueryString is { Length: > 0 } q ? $"{StreamNames.Hosts}?{q}" : StreamNames.Hosts;

    /// <summary>The overview URL of this view.</summary>
    public string Url => QueryString is { Length: > 0 } q ? "/?" + q : "/";

    /// <summary>The link of a column header: sorts by it, or flips the direction when it already sorts.</summary>
    public string SortUrl(OverviewSort sort) =>
        (this with { Sort = sort, Descending = sort == Sort ? !Descending : DescendingByDefault(sort) }).Url;

    private static string Shorten(string value)
    {
        var text = value.Length > 40 ? value[..40] + "…" : value;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) ? '?' : c);
        return sb.ToString();
    }
}
