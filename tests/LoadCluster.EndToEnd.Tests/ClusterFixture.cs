using System.Net;
using System.Text.RegularExpressions;
using LoadCluster.AppHost;
using LoadCluster.Samples;
using LoadCluster.Testing;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace LoadCluster.EndToEnd.Tests;

/// <summary>
/// One cluster for the whole end-to-end collection (starting one takes a while): Redis, a
/// collector sampling every 500 ms, three web replicas and nginx, plus one headless Chromium.
/// Tests that break something (kill a replica, stop the collector) put it back before they end.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    public const string CollectorHost = "e2e-host";
    public static readonly TimeSpan CollectorInterval = TimeSpan.FromMilliseconds(500);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Cluster? _cluster;
    private ConnectionMultiplexer? _redis;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Cluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster did not start");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public RedisNames Names { get; } = new();

    /// <summary>The cluster's launcher output, for failure messages.</summary>
    public StringWriter Output { get; } = new();

    public async Task InitializeAsync()
    {
        try
        {
            _cluster = await StartClusterAsync();
        }
        catch (ClusterStartException e)
        {
            // The message points at the children's output, which went to Output: show its end.
            var output = Output.ToString();
            throw new InvalidOperationException($"{e.Message}\nLast launcher output:\n{output[Math.Max(0, output.Length - 8000)..]}", e);
        }
        var options = ConfigurationOptions.Parse(_cluster.RedisConnectionString);
        options.AbortOnConnectFail = false;
        _redis = await ConnectionMultiplexer.ConnectAsync(options);

        Chromium.EnsureInstalled();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Args,
            Timeout = 60_000,
        });
    }

    private Task<Cluster> StartClusterAsync() => Cluster.StartAsync(new ClusterOptions
    {
        Replicas = 3,
        Port = FreePort.Next(),
        CollectorHost = CollectorHost,
        Output = TextWriter.Synchronized(Output),
        StartTimeout = TimeSpan.FromSeconds(120),
        Environment = new Dictionary<string, string>
        {
            ["Collector__Interval"] = "00:00:00.500",
            ["Logging__LogLevel__Default"] = "Warning",
        },
    });

    /// <summary>Publishes a sample on the cluster's samples channel, as a collector would.</summary>
    public async Task PublishAsync(string host, double load1, int intervalMs = 60_000)
    {
        var sample = TestSamples.Of(host, load1, intervalMs: intervalMs);
        await _redis!.GetSubscriber().PublishAsync(RedisChannel.Literal(Names.SamplesChannel), SampleJson.Serialize(sample));
    }

    /// <summary>Live SignalR connections each web replica reports in its registry record.</summary>
    public async Task<Dictionary<string, int>> ConnectionsPerReplicaAsync()
    {
        var result = new Dictionary<string, int>();
        foreach (var web in Cluster.WebReplicas)
        {
            var json = await _redis!.GetDatabase().StringGetAsync(Names.Replica(web.Name));
            var match = json.HasValue ? ConnectionsField().Match((string)json!) : Match.Empty;
            result[web.Name] = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        return result;
    }

    /// <summary>Connects a SignalR client straight to one replica and subscribes it to the signed "hosts" stream of its overview page.</summary>
    public async Task<SignalRJsonClient> SubscribeToHostsAsync(ClusterResource web)
    {
        var html = await _http.GetStringAsync(web.Url);
        var signed = WebUtility.HtmlDecode(SignedStreamName().Match(html) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"no signed-stream-name attribute in GET {web.Url}"));
        var origin = Cluster.FrontDoor.GetLeftPart(UriPartial.Authority);
        var client = await SignalRJsonClient.ConnectAsync(new Uri(web.Url!, "turbo-stream"), o => o.SetRequestHeader("Origin", origin));
        await client.InvokeAsync("Subscribe", signed);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_redis is not null) await _redis.CloseAsync(allowCommandsToComplete: false);
        _redis?.Dispose();
        _http.Dispose();
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    [GeneratedRegex("signed-stream-name=\"([^\"]+)\"")]
    private static partial Regex SignedStreamName();

    [GeneratedRegex("\"connections\"\\s*:\\s*(\\d+)")]
    private static partial Regex ConnectionsField();
}
