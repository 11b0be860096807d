using LoadCluster.Web.Board;

namespace LoadCluster.Web.Relay;

/// <summary>
/// A host going stale or offline is the absence of samples, so nothing would push it: this timer
/// looks twice a second and pushes each transition once.
/// </summary>
internal sealed class HostStateWatcher(HostBoard board, PushScheduler pushes, TimeProvider time, ILogger<HostStateWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var changed = board.TakeTransitions();
                    if (changed.Count > 0) pushes.HostsChanged(changed);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    RelayLog.WatchFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
