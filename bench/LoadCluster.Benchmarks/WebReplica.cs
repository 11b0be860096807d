using System.Globalization;
using LoadCluster.Testing;

namespace LoadCluster.Benchmarks;

/// <summary>A LoadCluster.Web replica started from its build output with the settings the AppHost gives it.</summary>
internal static class WebReplica
{
    public const string SigningKey = "fleet-benchmark-signing-key-0123456789";

    public static string DefaultDll => Path.Combine(Checkout.Root, "src/LoadCluster.Web/bin/Release/net10.0/LoadCluster.Web.dll");

    public static ChildProcess Start(string dll, string redis, int index, int port, IReadOnlyDictionary<string, string> settings)
    {
        // As src/LoadCluster.AppHost starts a replica.
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = redis,
            ["OTEL_SERVICE_NAME"] = "web",
            ["LoadCluster__Replica"] = $"web-{index}",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Turbo__SigningKey"] = SigningKey,
            ["Turbo__AllowedOrigins__0"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        };
        foreach (var (key, value) in settings) env[key] = value;
        return ChildProcess.Start("dotnet", [dll], env);
    }

    public static async Task WaitHealthyAsync(HttpClient http, Uri url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url, "health"))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not become healthy");
            await Task.Delay(250);
        }
    }

    /// <summary>The signed stream name a Web page subscribes to, read from its markup.</summary>
    public static async Task<string> SignedStreamNameAsync(HttpClient http, Uri page) =>
        SignedStreamNames.FirstIn(await http.GetStringAsync(page)) ?? throw new InvalidOperationException($"{page} has no signed-stream-name: is it a LoadCluster.Web page?");
}
