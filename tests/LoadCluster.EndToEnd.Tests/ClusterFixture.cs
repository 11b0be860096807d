using System.Net;
using System.Text.RegularExpressions;
using LoadCluster.Samples;
using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace LoadCluster.EndToEnd.Tests;

/// <summary>
/// One cluster for the whole end-to-end collection, started by the real AppHost through
/// Aspire.Hosting.Testing (starting one takes a while): a local redis-server, the collector
/// sampling every 500 ms, three web replicas behind DCP's proxy, the fleet simulator (off, as by
/// default; a test starts it, for a fleet of <see cref="SimulatedHosts"/>), and the Aspire dashboard
/// on free ports; plus one headless Chromium. Tests that break something put it back before they end.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public const string CollectorHost = "e2e-host";
    public const int SimulatedHosts = 5;
    public static readonly TimeSpan CollectorInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private const string Dashboard = "aspire-dashboard";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private DistributedApplication? _app;
    private ConnectionMultiplexer? _redis;
    private readonly ChromiumFixture _chromium = new();

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the cluster did not start");

    public IBrowser Browser => _chromium.Browser;

    public RedisNames Names { get; } = new();

    /// <summary>The front door: DCP's proxy over the web replicas.</summary>
    public Uri FrontDoor { get; private set; } = null!;

    /// <summary>The Aspire dashboard's login URL (it sets the cookie, then shows the resources).</summary>
    public Uri DashboardLogin { get; private set; } = null!;

    /// <summary>The state of every resource instance, kept up to date.</summary>
    public Resources Resources { get; private set; } = null!;

    /// <summary>The web replicas now running and healthy.</summary>
    public IReadOnlyList<Replica> WebReplicas => Resources.Healthy("web").Select(Replica.Of).ToList();

    public async Task InitializeAsync()
    {
        // Aspire.Hosting.Testing gives every endpoint, the dashboard's too, a free port of its own.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LoadCluster_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, ["--replicas", "3", "--redis", "local"]);
        builder.CreateResourceBuilder<ProjectResource>("collector")
            .WithEnvironment("Collector__Host", CollectorHost)
            .WithEnvironment("Collector__Interval", "00:00:00.500");
        // After the AppHost's own --hosts, so these win: a small fleet that never goes silent.
        builder.CreateResourceBuilder<ProjectResource>("simulator")
            .WithArgs("--hosts", SimulatedHosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--flaky", "0");
        var token = builder.Configuration["AppHost:BrowserToken"];
        _app = await builder.BuildAsync();
        Resources = new Resources(_app.ResourceNotifications);
        using var start = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(start.Token);
        await Resources.WaitAsync(() => Resources.Healthy("web").Count == 3 && Resources.Healthy("collector").Count == 1, StartTimeout, "three healthy web replicas and a collector");
        // Aspire checks a replicated project's health through its proxy: each replica is asked itself.
        foreach (var web in WebReplicas) await Wait.UntilAsync(() => AnswersAsync(new Uri(web.Url, "health")), StartTimeout, $"{web.Name} answers /health at {web.Url}");
        FrontDoor = new UriBuilder(_app.GetEndpoint("web", "http")) { Host = "127.0.0.1" }.Uri;
        DashboardLogin = new Uri(new UriBuilder(_app.GetEndpoint(Dashboard, "http")) { Host = "127.0.0.1" }.Uri, $"login?t={token}");

        var options = ConfigurationOptions.Parse(await _app.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no Redis connection string"));
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);

        await _chromium.InitializeAsync();
    }

    private async Task<bool> AnswersAsync(Uri url)
    {
        try
        {
            return (await _http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Publishes a sample on the cluster's samples channel, as a collector would.</summary>
    public async Task PublishAsync(string host, double load1, int intervalMs = 60_000)
    {
        var sample = TestSamples.Of(host, load1, intervalMs: intervalMs);
        await _redis!.GetSubscriber().PublishAsync(RedisChannel.Literal(Names.SamplesChannel(host)), SampleJson.Serialize(sample));
    }

    /// <summary>Live page connections each web replica reports in its registry record.</summary>
    public async Task<Dictionary<string, int>> ConnectionsPerReplicaAsync()
    {
        var result = new Dictionary<string, int>();
        foreach (var web in WebReplicas)
        {
            var json = await _redis!.GetDatabase().StringGetAsync(Names.Replica(web.Name));
            var match = json.HasValue ? ConnectionsField().Match((string)json!) : Match.Empty;
            result[web.Name] = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        return result;
    }

    /// <summary>
    /// Opens the socket of one replica's overview page straight to it, as the page's own element
    /// does, and reads its state: from here it gets every push.
    /// </summary>
    public async Task<TurboSocketClient> OpenOverviewAsync(Replica web)
    {
        var html = await _http.GetStringAsync(web.Url);
        var signed = SignedStreamNames.FirstIn(html) ?? throw new InvalidOperationException($"no signed-stream-name attribute in GET {web.Url}");
        var client = await TurboSocketClient.ConnectAsync(new Uri(web.Url, "turbo-stream"), signed, label: web.Name);
        await client.NextAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>Runs a resource command, as its button in the dashboard does.</summary>
    public async Task CommandAsync(string resourceId, string command)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, command);
        if (!result.Success) throw new InvalidOperationException($"{command} {resourceId} failed: {result.Message}");
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        if (_redis is not null) await _redis.CloseAsync(allowCommandsToComplete: false);
        _redis?.Dispose();
        _http.Dispose();
        if (Resources is not null) await Resources.DisposeAsync();
        if (_app is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }
    }


    [GeneratedRegex("\"connections\"\\s*:\\s*(\\d+)")]
    private static partial Regex ConnectionsField();
}
