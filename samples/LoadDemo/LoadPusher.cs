using LoadCluster.Turbo;

namespace LoadDemo;

/// <summary>Every few seconds (setting PushInterval, 5 s by default), renders the load and pushes it to every page.</summary>
internal sealed class LoadPusher(ITurboRenderer renderer, ITurboPush push, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("PushInterval", TimeSpan.FromSeconds(5)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await push.ToAllAsync(TurboStream.Replace("load", await renderer.RenderComponentAsync<LoadAverage>()), stoppingToken);
    }
}
