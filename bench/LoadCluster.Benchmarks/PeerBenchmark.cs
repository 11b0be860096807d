using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LoadCluster.Testing;

namespace LoadCluster.Benchmarks;

/// <summary>
/// LoadCluster's push path beside Socket.IO 4.8 + @socket.io/redis-adapter on the same topology:
/// for each stack a fresh redis-server and three server processes; the same ~330-byte Turbo Stream
/// message broadcast from server 1 to a stream (room) every client listens to; the same load
/// generator (bench/peer/loadgen.js, several processes) speaking each protocol over raw WebSockets.
/// Phases: paced (one broadcast every 20 ms) for latency, flood for throughput, then idle clients
/// on server 1 alone for memory. Stacks run in turn, in a rotated order each repetition, and the
/// table prints the median and range of the repetitions.
/// Stacks: turbo (LoadCluster.Turbo's stream endpoint over WebSocket, what the Web's pages use),
/// socketio, and web (a real LoadCluster.Web replica's stream endpoint: memory only, since the Web
/// has no broadcast trigger).
/// </summary>
internal sealed class PeerBenchmark(PeerBenchmark.Settings settings)
{
    public sealed record Settings(int Repetitions, int Clients, int Paced, int Flood, int WarmUpSeconds, int[] Idle, int Generators, string[] Stacks, string PeerDirectory, IReadOnlyDictionary<string, string> Env);

    private sealed record Cpu(double[] Servers, double Redis, double Generators)
    {
        public override string ToString() => $"{string.Join('/', Servers.Select(c => c.ToString("0", CultureInfo.InvariantCulture)))} | {Redis:0} | {Generators:0}";
    }

    /// <param name="ServerMicrosPerDelivery">CPU the servers spent per delivery: unlike deliveries per second, it
    /// hardly moves when other processes take the machine's cores.</param>
    private sealed record Phase(double P50, double P99, double Max, double DeliveriesPerSecond, long Missing, long Duplicated, Cpu Cpu, double ServerMicrosPerDelivery);

    private sealed record Result(Phase? Paced, Phase? Flood, double[] KbPerConnection, long? JittedWhilePaced);

    private const int Servers = 3;
    private const int InFlight = 16;

    private static readonly string[] AllStacks = ["turbo", "socketio", "web"];

    public static async Task<int> RunAsync(string[] args)
    {
        int reps = 3, clients = 1000, paced = 500, flood = 1000, warmUp = 30, generators = 4;
        int[] idle = [10_000, 15_000];
        string[] stacks = ["turbo", "socketio", "web"];
        var env = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--reps": reps = Int(value); break;
                case "--clients": clients = Int(value); break;
                case "--paced": paced = Int(value); break;
                case "--flood": flood = Int(value); break;
                case "--warmup": warmUp = Int(value); break;
                case "--idle": idle = [.. value.Split(',').Select(Int)]; break;
                case "--generators": generators = Int(value); break;
                case "--stacks": stacks = value.Split(','); break;
                // Passed to LoadCluster's server processes (web, turbo-server), e.g. --env DOTNET_GCgen0size=0x400000.
                case "--env": env[value.Split('=', 2)[0]] = value.Split('=', 2)[1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (stacks.Except(AllStacks).FirstOrDefault() is { } unknown) { Console.Error.WriteLine($"unknown stack {unknown}: use {string.Join(',', AllStacks)}"); return 2; }
        // A process here may hold 20,000 open files: the clients are spread over the generators.
        if (idle.Length > 0 && idle.Max() / generators > 15_000) { Console.Error.WriteLine($"{idle.Max()} clients need more than {generators} generators"); return 2; }
        var peer = Path.Combine(Checkout.Root, "bench", "peer");
        if (!Directory.Exists(Path.Combine(peer, "node_modules")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = peer }) ?? throw new InvalidOperationException("npm did not start");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0) { Console.Error.WriteLine("npm ci failed in bench/peer (Node.js and npm are needed)"); return 2; }
        }
        if (stacks.Contains("web") && !File.Exists(WebReplica.DefaultDll)) { Console.Error.WriteLine($"{WebReplica.DefaultDll} is missing: run 'dotnet build LoadCluster.sln -c Release' first"); return 2; }
        await new PeerBenchmark(new Settings(reps, clients, paced, flood, warmUp, idle, generators, stacks, peer, env)).RunAsync();
        return 0;
    }

    private async Task RunAsync()
    {
        Console.WriteLine($"peer benchmark on {Machine.Describe()}, node {NodeVersion()}{string.Concat(settings.Env.Select(e => $", {e.Key}={e.Value}"))}");
        Console.WriteLine($"{Servers} servers + 1 redis-server per stack; {settings.Clients} clients over {settings.Generators} generator processes; paced: {settings.Paced} broadcasts 20 ms apart; flood: {settings.Flood} broadcasts, {InFlight} in flight; warm-up first: 100 flooded, then {settings.WarmUpSeconds} s paced; idle: {string.Join(" and ", settings.Idle)} clients on server 1; {settings.Repetitions} interleaved repetitions; load average at start {Machine.LoadAverage()}");
        var results = settings.Stacks.ToDictionary(s => s, _ => new List<Result>());
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var order = settings.Stacks.Skip(rep % settings.Stacks.Length).Concat(settings.Stacks.Take(rep % settings.Stacks.Length));
            foreach (var stack in order)
            {
                Console.Error.WriteLine($"  repetition {rep + 1}: {stack} (load average {Machine.LoadAverage()})");
                var result = await RunStackAsync(stack);
                results[stack].Add(result);
                // Each run as it ends, so a long run that is stopped still says what it saw.
                Console.Error.WriteLine($"    {stack}: paced p50/p99/max {result.Paced?.P50:0.0}/{result.Paced?.P99:0.0}/{result.Paced?.Max:0} ms, flood {result.Flood?.DeliveriesPerSecond:0}/s ({result.Flood?.ServerMicrosPerDelivery:0.00} µs server CPU each), " +
                    $"missing {result.Paced?.Missing + result.Flood?.Missing}, dup {result.Paced?.Duplicated + result.Flood?.Duplicated}, KB/conn {string.Join('/', result.KbPerConnection.Select(k => k.ToString("0.0", CultureInfo.InvariantCulture)))}, {(result.JittedWhilePaced is { } jitted ? $"methods jitted by the sender while paced {jitted}, " : "")}CPU paced {result.Paced?.Cpu}, flood {result.Flood?.Cpu}");
            }
        }
        Console.WriteLine($"load average at end {Machine.LoadAverage()}; median [min–max] of {settings.Repetitions}; CPU in % of one core: servers 1/2/3 | redis | all generators");
        Console.WriteLine($"{"stack",-34} {"paced p50 ms",18} {"paced p99 ms",18} {"paced max ms",18} {"flood deliveries/s",26} {"flood server µs/delivery",26} {"missing",8} {"dup",5} {string.Join(' ', settings.Idle.Select(n => $"{$"KB/conn @{n}",18}"))}  {"CPU paced",-22} {"CPU flood",-22}");
        foreach (var (stack, runs) in results)
        {
            var paced = runs.Select(r => r.Paced).OfType<Phase>().ToList();
            var flood = runs.Select(r => r.Flood).OfType<Phase>().ToList();
            var memory = settings.Idle.Select((_, i) => Stat(runs.Select(r => r.KbPerConnection[i]), "0.0")).ToList();
            Console.WriteLine($"{Label(stack),-34} {Stat(paced.Select(p => p.P50), "0.0"),18} {Stat(paced.Select(p => p.P99), "0.0"),18} {Stat(paced.Select(p => p.Max), "0"),18} " +
                $"{Stat(flood.Select(p => p.DeliveriesPerSecond), "0"),26} {Stat(flood.Select(p => p.ServerMicrosPerDelivery), "0.00"),26} {paced.Concat(flood).Sum(p => p.Missing),8} {paced.Concat(flood).Sum(p => p.Duplicated),5} {string.Join(' ', memory.Select(m => $"{m,18}"))}  " +
                $"{Median(paced)?.Cpu.ToString() ?? "-",-22} {Median(flood)?.Cpu.ToString() ?? "-",-22}");
        }
    }

    private static string Label(string stack) => stack switch
    {
        "turbo" => "LoadCluster Turbo socket, 3 procs",
        "socketio" => "Socket.IO 4.8 + redis-adapter, 3",
        _ => "LoadCluster.Web replica (socket)",
    };

    private async Task<Result> RunStackAsync(string stack)
    {
        await using var redis = await RedisProcess.StartAsync();
        var ports = Enumerable.Range(0, Servers).Select(_ => FreePort.Next()).ToArray();
        var servers = new List<ChildProcess>();
        var generators = Enumerable.Range(0, settings.Generators).Select(_ => LoadGenerator.Start(settings.PeerDirectory)).ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            var redisUrl = "redis://" + redis.ConnectionString.Split(',')[0];
            for (var i = 0; i < (stack == "web" ? 1 : Servers); i++) servers.Add(StartServer(stack, i, ports[i], redis.ConnectionString, redisUrl));
            foreach (var port in ports.Take(servers.Count)) await WaitListeningAsync(port, servers);
            var origin = new Uri($"http://127.0.0.1:{ports[0]}/");
            var signed = stack switch
            {
                "socketio" => "hosts",
                "web" => await WebSignedNameAsync(http, origin),
                _ => await http.GetStringAsync(new Uri(origin, "bench/signed")),
            };
            var protocol = stack is "socketio" ? "socketio" : "turbo";
            var urls = ports.Take(servers.Count).Select(p => stack is "socketio" ? $"ws://127.0.0.1:{p}" : $"ws://127.0.0.1:{p}/turbo-stream").ToArray();
            var pids = servers.Select(s => s.Id).ToArray();

            Phase? paced = null, flood = null;
            long? jittedWhilePaced = null;
            if (stack != "web")
            {
                await ConnectAsync(generators, protocol, urls, signed, settings.Clients);
                // Warm-up, not printed: long enough for both runtimes' JITs to finish on the paced path
                // (.NET's tiered compilation recompiles hot methods in the background for seconds after start).
                await PhaseAsync(generators, http, origin, pids, redis.Id, 0, 100, 0);
                await PhaseAsync(generators, http, origin, pids, redis.Id, 3, settings.WarmUpSeconds * 1000 / 20, 20);
                var jitted = stack == "turbo" ? await JittedAsync(http, origin) : 0;
                paced = await PhaseAsync(generators, http, origin, pids, redis.Id, 1, settings.Paced, 20);
                if (stack == "turbo") jittedWhilePaced = await JittedAsync(http, origin) - jitted;
                flood = await PhaseAsync(generators, http, origin, pids, redis.Id, 2, settings.Flood, 0);
                foreach (var generator in generators) await generator.SendAsync(new { cmd = "close" });
            }
            else
            {
                // Warm the replica as the others were warmed (JIT, pools), then let those go.
                await ConnectAsync(generators, protocol, urls, signed, 200);
                foreach (var generator in generators) await generator.SendAsync(new { cmd = "close" });
            }

            // Idle memory on server 1 alone: its resident set over the connections it holds.
            var baseline = await Machine.SettledRssAsync(pids[0]);
            var held = 0;
            var kb = new List<double>();
            foreach (var target in settings.Idle)
            {
                await ConnectAsync(generators, protocol, [urls[0]], signed, target - held);
                held = target;
                kb.Add((await Machine.SettledRssAsync(pids[0]) - baseline) / 1024.0 / target);
            }
            return new Result(paced, flood, [.. kb], jittedWhilePaced);
        }
        finally
        {
            foreach (var generator in generators) await generator.DisposeAsync();
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    private ChildProcess StartServer(string stack, int index, int port, string redis, string redisUrl)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string>(settings.Env);
        return stack switch
        {
            "socketio" => ChildProcess.Start("node", [Path.Combine(settings.PeerDirectory, "socketio-server.js"), portText, redisUrl], new Dictionary<string, string>()),
            "web" => WebReplica.Start(WebReplica.DefaultDll, redis, index + 1, port, new Dictionary<string, string>(env)
            {
                // Every generator is one client address (127.0.0.N) holding thousands of sockets.
                ["LoadCluster__Limits__ConnectionsPerClient"] = "10000",
                ["LoadCluster__Limits__MaxConnections"] = "1000000",
            }),
            // Workstation GC, as the Web runs (see its project file).
            _ => ChildProcess.Start("dotnet", [typeof(PeerBenchmark).Assembly.Location, "turbo-server", portText, redis], new Dictionary<string, string>(env) { ["DOTNET_gcServer"] = env.GetValueOrDefault("DOTNET_gcServer", "0") }),
        };
    }

    /// <summary>Opens <paramref name="count"/> more clients, spread over the generators, each generator from its own loopback address.</summary>
    private async Task ConnectAsync(List<LoadGenerator> generators, string protocol, string[] urls, string signed, int count)
    {
        var answers = await Task.WhenAll(generators.Select((g, i) => g.SendAsync(new
        {
            cmd = "connect", protocol, urls, stream = signed, localAddress = $"127.0.0.{i + 2}",
            count = count / generators.Count + (i < count % generators.Count ? 1 : 0),
        })));
        var failed = answers.Sum(a => (int)a["failed"]!);
        if (failed > 0) Console.Error.WriteLine($"  {failed} of {count} {protocol} clients failed to connect");
    }

    private static async Task<Phase> PhaseAsync(List<LoadGenerator> generators, HttpClient http, Uri origin, int[] servers, int redis, int run, int count, int intervalMs)
    {
        foreach (var generator in generators) await generator.SendAsync(new { cmd = "expect", run, count });
        var cpu0 = CpuTimes(servers, redis, generators);
        var clock = Stopwatch.StartNew();
        var started = Stopwatch.GetTimestamp();
        (await http.PostAsJsonAsync(new Uri(origin, "bench/broadcast"), new { run, count, intervalMs, inFlight = InFlight })).EnsureSuccessStatusCode();
        await Task.WhenAll(generators.Select(g => g.SendAsync(new { cmd = "wait", timeoutMs = 20_000 })));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu1 = CpuTimes(servers, redis, generators);
        var reports = new List<JsonNode>();
        foreach (var generator in generators) reports.Add(await generator.SendAsync(new { cmd = "report" }));
        var delays = reports.SelectMany(r => r["delays"]!.AsArray().Select(d => (double)d!)).Order().ToArray();
        var last = reports.Max(r => long.Parse((string)r["lastDelivery"]!, CultureInfo.InvariantCulture));
        var received = reports.Sum(r => (long)r["received"]!);
        double Ms(double p) => delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)(p * delays.Length))] / 1000;
        var cpu = new Cpu(
            [.. servers.Select((_, i) => Percent(cpu1[i] - cpu0[i], seconds))],
            Percent(cpu1[servers.Length] - cpu0[servers.Length], seconds),
            Percent(cpu1[^1] - cpu0[^1], seconds));
        var serverCpu = servers.Select((_, i) => cpu1[i] - cpu0[i]).Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
        return new Phase(Ms(0.50), Ms(0.99), delays.Length == 0 ? double.NaN : delays[^1] / 1000,
            received / ((last - started) / (double)Stopwatch.Frequency), reports.Sum(r => (long)r["missing"]!), reports.Sum(r => (long)r["duplicated"]!), cpu,
            received == 0 ? double.NaN : serverCpu.TotalMicroseconds / received);
    }

    /// <summary>CPU time of each server, Redis, and all generators together.</summary>
    private static TimeSpan[] CpuTimes(int[] servers, int redis, List<LoadGenerator> generators) =>
        [.. servers.Select(ChildProcess.CpuTime), ChildProcess.CpuTime(redis), generators.Aggregate(TimeSpan.Zero, (sum, g) => sum + ChildProcess.CpuTime(g.Id))];

    private static double Percent(TimeSpan cpu, double seconds) => cpu.TotalSeconds / seconds * 100;

    private static async Task<long> JittedAsync(HttpClient http, Uri origin) =>
        long.Parse(await http.GetStringAsync(new Uri(origin, "bench/jit")), CultureInfo.InvariantCulture);

    private static async Task<string> WebSignedNameAsync(HttpClient http, Uri origin)
    {
        await WebReplica.WaitHealthyAsync(http, origin);
        return await WebReplica.SignedStreamNameAsync(http, origin);
    }

    private static async Task WaitListeningAsync(int port, List<ChildProcess> servers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !servers.Any(s => s.HasExited))
            {
                await Task.Delay(200);
            }
        }
    }

    private static Phase? Median(List<Phase> phases) => phases.Count == 0 ? null : phases.OrderBy(p => p.P99).ElementAt(phases.Count / 2);

    private static string Stat(IEnumerable<double> values, string format)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return "-";
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return sorted.Length == 1 ? F(sorted[0]) : $"{F(sorted[sorted.Length / 2])} [{F(sorted[0])}–{F(sorted[^1])}]";
    }

    private static string NodeVersion()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true }) ?? throw new InvalidOperationException("node did not start");
        var version = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        return version;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
