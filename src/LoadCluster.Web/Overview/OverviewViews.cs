using LoadCluster.Web.Board;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Overview;

/// <summary>The overview's views of the board, made one way for the page and for its live stream alike.</summary>
internal sealed class OverviewViews(HostBoard board, IOptions<LoadBoardOptions> options)
{
    public OverviewView View(OverviewQuery query)
    {
        var (keys, listVersion) = board.Keys();
        return OverviewView.Of(query, keys, listVersion, options.Value.OverviewRows);
    }

    /// <summary>The view's rows with their hosts as they are now (a host gone since is left out), as the table body shows them.</summary>
    public IReadOnlyList<ShownRow> Shown(OverviewView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var rows = new List<ShownRow>(view.Rows.Count);
        foreach (var row in view.Rows)
        {
            if (board.Get(row.Key.Name, ShownRow.SparklinePoints) is { } host) rows.Add(new ShownRow(host, row.Order));
        }
        return rows;
    }
}
