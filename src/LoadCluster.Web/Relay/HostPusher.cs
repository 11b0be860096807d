using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Components.Fragments;
using LoadCluster.Web.Streams;

namespace LoadCluster.Web.Relay;

/// <summary>
/// Renders the fragments a host change affects, once, and writes them to this replica's own
/// subscribers only (architecture.md: every replica receives every sample, so going through the
/// backplane would deliver each N times). Renders nothing for a stream nobody here listens to.
/// </summary>
internal sealed class HostPusher(HostBoard board, LoadBoardFragments fragments, ITurboPush push, WebMetrics metrics) : IDisposable
{
    // The relay, the state watcher and the loader push concurrently; one at a time keeps a push
    // rendered from older data from overtaking one rendered from newer data.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="hosts">The hosts that changed.</param>
    /// <param name="listChanged">True when a host appeared: the whole table body is sent instead of rows.</param>
    public async Task PushAsync(IReadOnlyCollection<string> hosts, bool listChanged, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await PushLockedAsync(hosts, listChanged, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task PushLockedAsync(IReadOnlyCollection<string> hosts, bool listChanged, CancellationToken ct)
    {
        var rowClients = push.LocalSubscriberCount(StreamNames.Hosts);
        var details = hosts.Where(h => push.LocalSubscriberCount(StreamNames.Host(h)) > 0).ToList();
        if (rowClients == 0 && details.Count == 0) return;

        // Totals need every host's latest sample but no history; rows need only their own.
        var summary = await fragments.SummaryAsync(board.Totals());
        if (rowClients > 0)
        {
            var actions = new List<TurboStreamAction>();
            if (listChanged)
            {
                actions.Add(await fragments.RowsAsync(board.All(HostRow.SparklinePoints)));
            }
            else
            {
                foreach (var name in hosts)
                {
                    if (board.Get(name, HostRow.SparklinePoints) is { } host) actions.Add(await fragments.RowAsync(host));
                }
            }
            actions.Add(summary);
            await SendAsync(StreamNames.Hosts, TurboStream.Combine(actions), ct);
        }
        foreach (var name in details)
        {
            if (board.Get(name) is not { } host) continue;
            await SendAsync(StreamNames.Host(name), TurboStream.Combine(await fragments.DetailAsync(host), summary), ct);
        }
    }

    private async Task SendAsync(string stream, string message, CancellationToken ct)
    {
        var clients = push.LocalSubscriberCount(stream);
        await push.ToLocalSubscribersAsync(stream, message, ct);
        metrics.Pushed(clients);
    }
}
