using LoadCluster.Turbo;
using LoadCluster.Web.Board;
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

    /// <summary>Set by the scheduler: drops a view stream nobody here listens to any more.</summary>
    public Action<ViewStream> Forget { get; set; } = _ => { };

    public OverviewView View(OverviewQuery query)
    {
        var (keys, listVersion) = board.Keys();
        return OverviewView.Of(query, keys, listVersion, _options.OverviewRows);
    }

    public async Task SendAsync(string stream, string message, CancellationToken ct)
    {
        var clients = push.LocalSubscriberCount(stream);
        await push.ToLocalSubscribersAsync(stream, message, ct);
        metrics.Pushed(clients, message.Length);
    }
}
