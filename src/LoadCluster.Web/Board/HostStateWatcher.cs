namespace LoadCluster.Web.Board;

/// <summary>
/// A host going stale or offline is the absence of samples, so nothing else would change the board:
/// this timer looks twice a second and announces each transition once.
/// </summary>
internal sealed class HostStateWatcher(HostBoard board, TimeProvider time, ILogger<HostStateWatcher> logger) : BackgroundService
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
                    board.Announce(board.TakeTransitions());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    WebLog.WatchFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
