using LoadCluster.Testing;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// Web replicas and a collector as processes, from their own build output, on one Redis, each
/// exporting its telemetry over OTLP/HTTP to <see cref="OtlpReceiver"/> (as the AppHost points them
/// at the Aspire dashboard). Disposing stops what it started.
/// </summary>
internal sealed class TracedCluster : IAsyncDisposable
{
    public const string SigningKey = "traced-cluster-signing-key-of-32-characters+";

    private readonly List<AppProcess> _processes = [];

    public IReadOnlyList<AppProcess> Web => _processes[1..];

    public AppProcess Collector => _processes[0];

    /// <summary>The name (<c>LoadCluster__Replica</c>, so its <c>service.instance.id</c>) of <see cref="Web"/>[<paramref name="index"/>].</summary>
    public static string Replica(int index) => $"web-{index + 1}";

    /// <param name="routineSampling">LoadCluster:Telemetry:RoutineSampling for every process; null for the default.</param>
    /// <param name="collector">More settings of the collector (environment variables).</param>
    public static async Task<TracedCluster> StartAsync(string redis, OtlpReceiver receiver, int replicas, string host, string? routineSampling = null,
        IReadOnlyDictionary<string, string>? collector = null)
    {
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redis,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (routineSampling is not null) common["LoadCluster__Telemetry__RoutineSampling"] = routineSampling;
        var cluster = new TracedCluster();
        try
        {
            cluster._processes.Add(await AppProcess.StartToolAsync(Dll("LoadCluster.Collector"), [], ready: "Collecting",
                environment: new Dictionary<string, string>(common.Concat(collector ?? new Dictionary<string, string>()))
                {
                    ["Collector__Host"] = host, ["Logging__LogLevel__LoadCluster"] = "Information",
                }));
            for (var i = 0; i < replicas; i++)
            {
                cluster._processes.Add(await AppProcess.StartAsync(Dll("LoadCluster.Web"), Project("LoadCluster.Web"),
                    environment: new Dictionary<string, string>(common) { ["LoadCluster__Replica"] = Replica(i), ["Turbo__SigningKey"] = SigningKey, ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information" }));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Waits until every replica shows <paramref name="host"/> live on its board (/api/hosts).</summary>
    public async Task WaitUntilLiveAsync(HttpClient http, string host)
    {
        foreach (var web in Web)
        {
            await Wait.UntilAsync(async () =>
            {
                try
                {
                    return (await http.GetStringAsync(web.Url("/api/hosts"))).Contains($"\"host\":\"{host}\"", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"{host} on the board of {web.Url("/")}");
        }
    }

    private static string Project(string name) => Path.Combine(Checkout.Root, "src", name);

    private static string Dll(string name) => Path.Combine(Project(name), "bin", Checkout.Configuration, "net10.0", name + ".dll");

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
    }
}
