using LoadCluster.Testing;

namespace LoadCluster.Benchmarks;

/// <summary>
/// Memory one long-lived connection costs a Web replica: runs the real Web app as its own process
/// (default settings, as deployed) on a Redis container, opens connections of one
/// kind in two equal steps, and reads the process's resident set (VmRSS) after each step settles.
/// The second step's growth over its connections is the figure (the first pays for warm-up:
/// JIT, pools, the GC's first heaps). LoadCluster:Limits:MeasuredBytesPerConnection comes from it.
/// </summary>
internal static class ConnectionMemoryRun
{
    private const string SigningKey = "bench-signing-key-of-at-least-32-characters";

    public static async Task<int> RunAsync(int perStep)
    {
        await using var redis = await TestRedis.StartAsync();
        Console.WriteLine($"{perStep} connections per step, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"{"kind",-36} {"RSS before MB",14} {"+1 step MB",11} {"+2 steps MB",12} {"KB/conn",8}");
        // A fresh replica per kind: memory freed by one kind would be reused by the next and hide its cost.
        await MeasureAsync("page socket (WebSocket on hosts)", redis, perStep, async (app, _, signed) =>
            await TurboSocketClient.ConnectAsync(new Uri(app.Url("/turbo-stream")), signed));
        await MeasureAsync("page event stream (SSE on hosts)", redis, perStep, async (_, http, signed) =>
            new Held(await OpenAsync(http, $"/turbo-stream?stream={Uri.EscapeDataString(signed)}")));
        await MeasureAsync("sample stream (/api/samples/stream)", redis, perStep, async (_, http, _) => new Held(await OpenAsync(http, "/api/samples/stream")));
        return 0;
    }

    private static async Task<AppProcess> StartReplicaAsync(TestRedis redis)
    {
        var web = Path.Combine(Checkout.Root, "src", "LoadCluster.Web");
        var dll = Path.Combine(web, "bin", Checkout.Configuration, "net10.0", "LoadCluster.Web.dll");
        return await AppProcess.StartAsync(dll, web,
        [
            $"--ConnectionStrings:redis={redis.ConnectionString}", $"--Turbo:SigningKey={SigningKey}",
            "--LoadCluster:Limits:ConnectionsPerClient=10000", "--LoadCluster:Limits:MaxConnections=1000000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        ]);
    }

    private static async Task MeasureAsync(string kind, TestRedis redis, int perStep, Func<AppProcess, HttpClient, string, Task<IAsyncDisposable>> open)
    {
        await using var app = await StartReplicaAsync(redis);
        using var http = new HttpClient { BaseAddress = new Uri(app.Url("/")), Timeout = Timeout.InfiniteTimeSpan };
        var signed = await WebReplica.SignedStreamNameAsync(http, http.BaseAddress!);
        var connections = new List<IAsyncDisposable>();
        var before = await Machine.SettledRssAsync(app.ProcessId);
        for (var i = 0; i < perStep; i++) connections.Add(await open(app, http, signed));
        var one = await Machine.SettledRssAsync(app.ProcessId);
        for (var i = 0; i < perStep; i++) connections.Add(await open(app, http, signed));
        var two = await Machine.SettledRssAsync(app.ProcessId);
        Console.WriteLine($"{kind,-36} {before / 1048576.0,14:0.0} {(one - before) / 1048576.0,11:0.0} {(two - before) / 1048576.0,12:0.0} {(two - one) / 1024.0 / perStep,8:0.0}");
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        return response.EnsureSuccessStatusCode();
    }

    private sealed class Held(HttpResponseMessage response) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
