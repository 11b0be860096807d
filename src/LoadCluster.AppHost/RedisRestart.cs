using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.AppHost;

/// <summary>
/// Starts the AppHost's own Redis (a redis-server process or a container) again when it exits by
/// itself (a crash, a kill), as the dashboard's Start button would, and says so on the console. One
/// stopped from the dashboard stays stopped. Aspire 13.6 has no restart policy for executables, and
/// leaves a container that exited as Exited.
/// </summary>
internal sealed class RedisRestart(RedisRestart.Server server, ResourceNotificationService notifications, ResourceCommandService commands,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <summary>The resource that runs Redis.</summary>
    public sealed record Server(string Name);

    public static void AddTo(IDistributedApplicationBuilder builder, string name)
    {
        builder.Services.AddSingleton(new Server(name));
        builder.Services.AddHostedService<RedisRestart>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? last = null;
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource.Name != server.Name) continue;
                var state = change.Snapshot.State?.Text;
                // Running, then Finished (a process) or Exited (a container): it ended by itself. A Stop
                // from the dashboard passes through Stopping.
                var exited = (state == KnownResourceStates.Finished || state == KnownResourceStates.Exited) && last == KnownResourceStates.Running;
                if (!string.IsNullOrEmpty(state)) last = state;
                if (!exited || lifetime.ApplicationStopping.IsCancellationRequested) continue;
                Console.WriteLine($"{server.Name} exited by itself (exit code {change.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}); starting it again.");
                // One that exits again at once is started again a second later each time, not in a tight loop.
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                var result = await commands.ExecuteCommandAsync(change.ResourceId, KnownResourceCommands.StartCommand, stoppingToken);
                if (!result.Success) Console.WriteLine($"{server.Name} did not start again: {result.Message}. Press Start on it in the dashboard.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
