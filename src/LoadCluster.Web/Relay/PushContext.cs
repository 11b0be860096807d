using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Components.Fragments;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Streams;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Relay;

/// <summary>What every coalesced stream needs: the board, the fragments, the push API, the limits.</summary>
internal sealed class PushContext(
    HostBoard board, LoadBoardFragments fragments, ITurboPush push, WebMetrics metrics, IOptions<LoadBoardOptions> options,
    TimeProvider time, ILogger<PushScheduler> logger)
{
    private readonly LoadBoardOptions _options = options.Value;

    public HostBoard Board => board;

    public LoadBoardFragments Fragments => fragments;

    public ITurboPush Push => push;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public TimeSpan MinInterval => TimeSpan.FromSeconds(1.0 / _options.MaxPushesPerSecond);

    public int BytesPerSecond => _options.MaxBytesPerSecond;

    public OverviewView View(OverviewQuery query)
    {
        var (keys, listVersion) = board.Keys();
        return OverviewView.Of(query, keys, listVersion, _options.OverviewRows);
    }

    /// <summary>The view's rows with their hosts as they are now (a host gone since is left out): for the page and for a full push.</summary>
    public IReadOnlyList<ShownRow> Shown(OverviewView view)
    {
        var rows = new List<ShownRow>(view.Rows.Count);
        foreach (var row in view.Rows)
        {
            if (board.Get(row.Key.Name, HostRow.SparklinePoints) is { } host) rows.Add(new ShownRow(host, row.Order));
        }
        return rows;
    }

    public async Task SendAsync(string stream, string message, CancellationToken ct)
    {
        var clients = push.LocalSubscriberCount(stream);
        await push.ToLocalSubscribersAsync(stream, message, ct);
        metrics.Pushed(clients, message.Length);
    }
}
