using System.Text.RegularExpressions;

namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>
/// What a browser's overview table would hold after applying the pushed messages, done the way
/// Turbo 8 does it for the actions the board sends: <c>replace</c> of the body resets the rows,
/// <c>append</c> to the body first removes rows with the same ids then adds them, <c>remove</c>
/// drops a row. Per row it keeps the sample time (<c>data-ts</c>), CSS order and markup.
/// </summary>
internal sealed partial class BoardModel
{
    private readonly Dictionary<string, (long Ts, int Order, string Markup)> _rows = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (long Ts, int Order, string Markup)> Rows => _rows;

    /// <summary>Host name to sample time, of every row shown.</summary>
    public Dictionary<string, long> Shown() => _rows.ToDictionary(r => r.Key["host-".Length..], r => r.Value.Ts);

    public void Apply(string message)
    {
        foreach (Match action in Action().Matches(message))
        {
            var (kind, target, content) = (action.Groups["action"].Value, action.Groups["target"].Value, action.Groups["content"].Value);
            switch (kind)
            {
                case "replace" when target == "host-rows":
                    _rows.Clear();
                    AddRows(content);
                    break;
                case "append" when target == "host-rows":
                    AddRows(content);
                    break;
                case "remove":
                    _rows.Remove(target);
                    break;
            }
        }
    }

    /// <summary>Adds the rows of rendered markup (a whole page, as a browser loads it).</summary>
    public void AddRows(string html)
    {
        foreach (Match row in Row().Matches(html))
            _rows[row.Groups["id"].Value] = (long.Parse(row.Groups["ts"].Value, System.Globalization.CultureInfo.InvariantCulture),
                row.Groups["order"].Success ? int.Parse(row.Groups["order"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0, row.Value);
    }

    [GeneratedRegex("<turbo-stream action=\"(?<action>[a-z]+)\" target=\"(?<target>[^\"]+)\">(?:<template>(?<content>.*?)</template>)?</turbo-stream>", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex("<tr id=\"(?<id>host-[^\"]+)\" class=\"host-row[^\"]*\" data-state=\"[a-z]+\" data-ts=\"(?<ts>\\d+)\"(?: style=\"order:(?<order>\\d+)\")?>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();
}
