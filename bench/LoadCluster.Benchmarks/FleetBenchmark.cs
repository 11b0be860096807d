using System.Diagnostics;
using System.Globalization;
using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// The cost of the board per host: for each fleet size, a fresh redis-server, three web replicas
/// started from their build output with the settings the AppHost gives them, and the fleet
/// simulator; then overview clients on every replica, a Chromium page, and one window in which
/// every figure is read: each replica's CPU (/proc) and RSS, messages and bytes per client per
/// second, sample-to-client delay at the clients, Redis memory and CPU (its own INFO), the page's
/// main-thread busy time visible and hidden, and how many samples the relays dropped: before the window (start-up: each
/// replica loading the board while the simulator catches up after its backfill) apart from during it
/// (steady state).
/// </summary>
internal sealed class FleetBenchmark(FleetBenchmark.Settings settings)
{
    public sealed record Settings(int[] Hosts, TimeSpan Window, int ClientsPerReplica, int Crowd, string WebDll, string SimulatorDll, IReadOnlyDictionary<string, string> WebEnv, bool Backfill);

    private const int Replicas = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Checkout.Root;
        var hosts = new[] { 50, 1000, 5000 };
        var window = TimeSpan.FromSeconds(20);
        int clients = 5, crowd = 100;
        var env = new Dictionary<string, string>();
        string? webDll = null, simDll = null;
        var backfill = false;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--hosts": hosts = [.. args[i + 1].Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture))]; break;
                case "--seconds": window = TimeSpan.FromSeconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
                case "--clients": clients = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--crowd": crowd = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--web-env": var (k, v) = Split(args[i + 1]); env[k] = v; break;
                case "--backfill": backfill = bool.Parse(args[i + 1]); break;
                case "--web": webDll = Path.GetFullPath(args[i + 1]); break;
                case "--simulator": simDll = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        // --web and --simulator run other builds (an older commit's, for a before-and-after: the
        // simulator writes Redis as that commit's collectors did).
        var web = webDll ?? WebReplica.DefaultDll;
        var sim = simDll ?? Path.Combine(root, "bench/LoadCluster.FleetSimulator/bin/Release/net10.0/LoadCluster.FleetSimulator.dll");
        foreach (var dll in new[] { web, sim })
        {
            if (!File.Exists(dll)) { Console.Error.WriteLine($"{dll} is missing: run 'dotnet build LoadCluster.sln -c Release' first"); return 2; }
        }
        await new FleetBenchmark(new Settings(hosts, window, clients, crowd, web, sim, env, backfill)).RunAsync();
        return 0;
    }

    private async Task RunAsync()
    {
        Console.WriteLine($"fleet benchmark: 3 web replicas, {settings.ClientsPerReplica} overview clients per replica, {settings.Window.TotalSeconds:0} s window, {Environment.ProcessorCount} cores, load average {Machine.LoadAverage()}");
        Console.WriteLine($"{"hosts",6} {"CPU % of a core w1/w2/w3",26} {"RSS MiB w1/w2/w3",18} {"msg/s/client",13} {"KiB/s/client",13} {"max KiB/s",10} {"p50 ms",7} {"p99 ms",7} {"Redis MiB",10} {"Redis CPU %",12} {"page busy %",12} {"page CPU %",11} {"hidden busy %",14} {"hidden CPU %",13} {"all busy %",11} {"all CPU %",10} {"dropped start/steady",21} {"relay p50/p99 ms",17}");
        foreach (var hosts in settings.Hosts) await RunSizeAsync(hosts);
    }

    private async Task RunSizeAsync(int hosts)
    {
        await using var redis = await RedisProcess.StartAsync();
        // INFO is an admin command to StackExchange.Redis 3.x.
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var ports = Enumerable.Range(0, Replicas).Select(_ => FreePort.Next()).ToArray();
        var webs = new List<ChildProcess>();
        await using var simulator = ChildProcess.Start("dotnet", [settings.SimulatorDll, "--hosts", Str(hosts), "--interval", "1s", "--redis", redis.ConnectionString, "--flaky", "0",
            "--backfill", settings.Backfill ? "true" : "false"], new Dictionary<string, string>());
        try
        {
            // Backfilled: the replicas start on a day's history, as after a restart of a fleet's board.
            while (settings.Backfill && !simulator.HasExited && !Backfilled(simulator.LastLine)) await Task.Delay(100);
            if (settings.Backfill) Console.Error.WriteLine($"  ({hosts} hosts: {simulator.LastLine})");
            for (var i = 0; i < Replicas; i++) webs.Add(WebReplica.Start(settings.WebDll, redis.ConnectionString, i + 1, ports[i], settings.WebEnv));
            var urls = ports.Select(p => new Uri($"http://127.0.0.1:{p}/")).ToArray();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            foreach (var url in urls) await WebReplica.WaitHealthyAsync(http, url);
            // Let every host appear (each arrival sends the view whole) and the replicas' code reach
            // its optimized tier (tiered JIT, slower to finish on a loaded machine) before measuring.
            await Task.Delay(TimeSpan.FromSeconds(25));
            var signed = await WebReplica.SignedStreamNameAsync(http, urls[0]);
            var clients = new List<BoardClient>();
            for (var i = 0; i < Replicas * settings.ClientsPerReplica; i++)
                clients.Add(await BoardClient.ConnectAsync(new Uri(urls[i % Replicas], "turbo-stream"), signed));
            await using var browser = await PageProbe.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));

            var droppedAtStart = await DroppedAsync(http, urls[0]);
            foreach (var client in clients) client.Reset();
            var cpu0 = webs.Select(w => ChildProcess.CpuTime(w.Id)).ToArray();
            var redisCpu0 = await RedisCpuAsync(admin);
            var clock = Stopwatch.StartNew();
            var page = await browser.MeasureAsync(urls[0], settings.Window);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = webs.Select((w, i) => (ChildProcess.CpuTime(w.Id) - cpu0[i]).TotalSeconds / seconds * 100).ToArray();
            var redisCpu = (await RedisCpuAsync(admin) - redisCpu0) / seconds * 100;
            var rss = webs.Select(w => ChildProcess.Rss(w.Id) / 1048576.0).ToArray();
            var messages = clients.Select(c => c.Messages / seconds).ToArray();
            var bytes = clients.Select(c => c.Bytes / seconds / 1024).ToArray();
            var delays = clients.SelectMany(c => c.Delays()).Order().ToArray();
            var relayLag = await RelayLagAsync(http, urls[0]);
            var droppedInWindow = await DroppedAsync(http, urls[0]) - droppedAtStart;
            var hidden = await browser.MeasureHiddenAsync(urls[0], settings.Window);
            if (!hidden.StayedClosed) Console.Error.WriteLine($"  ({hosts} hosts: the hidden page reopened a stream connection)");
            // A stalled simulator would make every figure look good: say so.
            Console.Error.WriteLine($"  ({hosts} hosts: simulator {(simulator.HasExited ? "EXITED" : "running")}: {simulator.LastLine})");
            var redisMemory = long.Parse(Info(await InfoAsync(admin, "memory"), "used_memory"), CultureInfo.InvariantCulture) / 1048576.0;
            Console.Error.WriteLine($"  ({hosts} hosts: Redis {redisMemory * 1024 * 1024 / hosts / 1000:0.0} kB per host; {await KeysOfAsync(admin, "sim-00001")})");
            var all = await browser.MeasureAsync(new Uri(urls[0], "?show=all"), TimeSpan.FromSeconds(10));
            Console.Error.WriteLine($"  ({hosts} hosts: the show=all page loaded in {all.Load.TotalSeconds:0.0} s, the default page in {page.Load.TotalSeconds:0.0} s)");
            foreach (var client in clients) await client.DisposeAsync();

            Console.WriteLine($"{hosts,6} {string.Join('/', cpu.Select(c => c.ToString("0", CultureInfo.InvariantCulture))),26} {string.Join('/', rss.Select(r => r.ToString("0", CultureInfo.InvariantCulture))),18} " +
                $"{messages.Average(),13:0.0} {bytes.Average(),13:0.0} {bytes.Max(),10:0.0} {Percentile(delays, 0.5),7:0} {Percentile(delays, 0.99),7:0} {redisMemory,10:0.0} {redisCpu,12:0} {page.Busy * 100,12:0.0} {page.RendererCpu * 100,11:0.0} {hidden.Busy * 100,14:0.00} {hidden.RendererCpu * 100,13:0.00} {all.Busy * 100,11:0.0} {all.RendererCpu * 100,10:0.0} {$"{Count(droppedAtStart)}/{Count(droppedInWindow)}",21} {$"{Percentile(relayLag, 0.5):0}/{Percentile(relayLag, 0.99):0}",17}");
            if (hosts == settings.Hosts.Max() && settings.Crowd > 0) await CrowdAsync(hosts, webs[0], http, urls[0], signed);
        }
        finally
        {
            foreach (var w in webs) await w.DisposeAsync();
        }
    }

    // The simulator prints "backfilled ..." when done, then its rates, with samples published.
    private static bool Backfilled(string? line) => line is not null
        && (line.Contains("backfilled", StringComparison.Ordinal) || line.Contains("published", StringComparison.Ordinal) && !line.Contains(" 0 published", StringComparison.Ordinal));

    /// <summary>Many clients on one replica: does one replica stay under a core?</summary>
    private async Task CrowdAsync(int hosts, ChildProcess web, HttpClient http, Uri url, string signed)
    {
        var clients = new List<BoardClient>();
        for (var i = 0; i < settings.Crowd; i++) clients.Add(await BoardClient.ConnectAsync(new Uri(url, "turbo-stream"), signed));
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var client in clients) client.Reset();
        var dropped0 = await DroppedAsync(http, url);
        var cpu0 = ChildProcess.CpuTime(web.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Window);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (ChildProcess.CpuTime(web.Id) - cpu0).TotalSeconds / seconds * 100;
        var delays = clients.SelectMany(c => c.Delays()).Order().ToArray();
        Console.WriteLine($"{hosts,6} hosts, {settings.Crowd} clients on web-1 alone: web-1 CPU {cpu:0} % of a core, RSS {ChildProcess.Rss(web.Id) / 1048576.0:0} MiB, " +
            $"{clients.Average(c => c.Messages / seconds):0.0} msg/s/client, {clients.Average(c => c.Bytes / seconds / 1024):0.0} KiB/s/client (max {clients.Max(c => c.Bytes / seconds / 1024):0.0}), " +
            $"p50 {Percentile(delays, 0.5):0} ms, p99 {Percentile(delays, 0.99):0} ms, dropped meanwhile {Count(await DroppedAsync(http, url) - dropped0)}");
        foreach (var client in clients) await client.DisposeAsync();
    }

    /// <summary>
    /// From each host's sample time to when web-1 received it (from /api/hosts): the relay's part of
    /// the delay, so a slow push and a slow relay can be told apart.
    /// </summary>
    private static async Task<long[]> RelayLagAsync(HttpClient http, Uri url)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(url, "api/hosts")));
        return [.. doc.RootElement.EnumerateArray()
            .Select(h => h.GetProperty("receivedAt").GetInt64() - h.GetProperty("sample").GetProperty("ts").GetInt64()).Order()];
    }

    /// <summary>
    /// Samples the relays of all live replicas dropped so far (each replica's samplesDropped in
    /// /api/cluster, written every second: wait for a fresh one).
    /// </summary>
    /// <returns>The sum, or null for a build that does not report it.</returns>
    private static async Task<long?> DroppedAsync(HttpClient http, Uri url)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(url, "api/cluster")));
        var counts = doc.RootElement.GetProperty("replicas").EnumerateArray()
            .Select(r => r.TryGetProperty("samplesDropped", out var d) ? d.GetInt64() : (long?)null).ToList();
        return counts.Count > 0 && counts.All(c => c is not null) ? counts.Sum() : null;
    }

    private static string Count(long? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>Each key of one host with its size as Redis counts it (MEMORY USAGE), in kB.</summary>
    private static async Task<string> KeysOfAsync(ConnectionMultiplexer admin, string host)
    {
        var db = admin.GetDatabase();
        var sizes = new List<string>();
        await foreach (var key in admin.GetServers()[0].KeysAsync(pattern: "*:" + host))
            sizes.Add($"{key} {(long)(await db.ExecuteAsync("MEMORY", "USAGE", key)) / 1000.0:0.0} kB");
        return string.Join(", ", sizes.Order(StringComparer.Ordinal));
    }

    /// <summary>Redis's own CPU seconds (INFO cpu: user + system), as it counts them wherever it runs.</summary>
    private static async Task<double> RedisCpuAsync(ConnectionMultiplexer admin)
    {
        var info = await InfoAsync(admin, "cpu");
        return double.Parse(Info(info, "used_cpu_user"), CultureInfo.InvariantCulture) + double.Parse(Info(info, "used_cpu_sys"), CultureInfo.InvariantCulture);
    }

    private static async Task<string> InfoAsync(ConnectionMultiplexer redis, string section) =>
        (string)(await redis.GetDatabase().ExecuteAsync("INFO", section))!;

    private static string Info(string info, string field) =>
        info.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..];

    private static double Percentile(long[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static (string, string) Split(string setting) => setting.IndexOf('=') is var at and > 0 ? (setting[..at], setting[(at + 1)..]) : throw new ArgumentException($"--web-env takes NAME=value, not {setting}");
}
