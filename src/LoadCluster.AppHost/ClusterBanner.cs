using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.AppHost;

/// <summary>
/// Once every resource of the cluster is running and healthy (each web replica counted apart, and
/// each answering <c>/health</c> on its own address), prints the line scripts and tests wait for, <c>LoadCluster is up at http://127.0.0.1:P</c>,
/// and the Aspire dashboard's login URL.
/// </summary>
internal sealed class ClusterBanner(ResourceNotificationService notifications, IConfiguration configuration, ClusterBanner.Expected expected)
    : BackgroundService
{
    /// <summary>The resources to wait for, with how many instances each runs, and the front door's port.</summary>
    public sealed record Expected(IReadOnlyDictionary<string, int> Instances, int Port);

    /// <summary>Waits for the collector, every web replica and, if one is started, the Redis server.</summary>
    public static void AddTo(IDistributedApplicationBuilder builder, ClusterArguments cluster, string? redisServer)
    {
        var instances = new Dictionary<string, int> { ["collector"] = 1, ["web"] = cluster.Replicas };
        if (redisServer is not null) instances[redisServer] = 1;
        builder.Services.AddSingleton(new Expected(instances, cluster.Port));
        builder.Services.AddHostedService<ClusterBanner>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var up = new Dictionary<string, (string Resource, bool Up, CustomResourceSnapshot Snapshot)>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (!expected.Instances.ContainsKey(change.Resource.Name)) continue;
                var snapshot = change.Snapshot;
                up[change.ResourceId] = (change.Resource.Name,
                    snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy, snapshot);
                if (expected.Instances.All(e => up.Values.Count(u => u.Resource == e.Key && u.Up) >= e.Value)) break;
            }
            // Aspire checks a replicated project's health through its proxy, so one replica that answers makes
            // them all healthy, and the others may still be starting: ask each replica itself.
            foreach (var (_, _, snapshot) in up.Values.Where(u => u.Resource == "web" && u.Up)) await UntilServingAsync(snapshot, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        Console.WriteLine($"LoadCluster is up at http://127.0.0.1:{expected.Port}");
        if (DashboardLogin() is { } login) Console.WriteLine($"Aspire dashboard: {login}");
    }

    private static async Task UntilServingAsync(CustomResourceSnapshot replica, CancellationToken cancellationToken)
    {
        if (replica.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is not { } urls) return;
        var health = new Uri(new UriBuilder(urls.Split(';')[0]) { Host = "127.0.0.1" }.Uri, "health");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                if ((await http.GetAsync(health, cancellationToken)).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private string? DashboardLogin()
    {
        var url = StartChecks.DashboardUrl(configuration)?.GetLeftPart(UriPartial.Authority);
        if (url is null || configuration.GetValue<bool>("DisableDashboard")) return null;
        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url}/login?t={token}" : url;
    }
}
