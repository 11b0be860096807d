using LoadCluster.Turbo;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Web.Cluster;

/// <summary>
/// Every second writes this replica's record (connections, pushes/s, samples/s) to the registry;
/// every two seconds reads the whole registry, which the Cluster page's live stream shows.
/// </summary>
internal sealed class ReplicaHeartbeat(
    ClusterRegistry registry, ITurboPush push, WebMetrics metrics,
    Microsoft.AspNetCore.Hosting.Server.IServer server, IOptions<LoadBoardOptions> options, TimeProvider time, ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly long _startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var id = options.Value.ReplicaId;
        var last = (At: time.GetTimestamp(), Samples: metrics.SamplesTotal, Pushes: metrics.PushesTotal);
        var tick = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = (At: time.GetTimestamp(), Samples: metrics.SamplesTotal, Pushes: metrics.PushesTotal);
                var seconds = Math.Max(0.001, time.GetElapsedTime(last.At, now.At).TotalSeconds);
                var self = new ReplicaInfo(id, Url(), push.LocalConnectionCount, (now.Pushes - last.Pushes) / seconds,
                    (now.Samples - last.Samples) / seconds, _startedAt, time.GetUtcNow().ToUnixTimeMilliseconds(), metrics.DroppedTotal);
                last = now;
                try
                {
                    await registry.WriteAsync(self);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    WebLog.RegistryFailed(logger, e.Message);
                }
                if (tick++ % 2 == 0) await registry.ReadAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private string? Url() => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
}
