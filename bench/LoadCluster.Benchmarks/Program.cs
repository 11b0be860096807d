using LoadCluster.Benchmarks;
using LoadCluster.Testing;

// Broadcast benchmark: the official SignalR Redis backplane across three Kestrel servers against
// SignalR's in-memory manager on one server, with the same number of WebSocket connections.
// Usage: dotnet run -c Release --project bench/LoadCluster.Benchmarks -- [redis|memory|both] [connections] [messages]
// Redis is a redis-server process of the benchmark's own (no container port proxy in between).
// Or: ... -- connections [per step]: memory one hub, event-stream or sample-stream connection costs a Web replica.
// Fleet benchmark (the board's cost per host; build the solution in Release first):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- fleet [--hosts 50,1000,5000] [--seconds 20] [--clients 5] [--crowd 100] [--web-env NAME=value] [--web path/to/LoadCluster.Web.dll]
// Peer benchmark (LoadCluster beside Socket.IO 4.8 + redis-adapter, 3 servers, one Redis; needs Node.js):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- peer [--reps 3] [--clients 1000] [--paced 500] [--flood 1000] [--idle 10000,15000] [--stacks turbo,signalr,socketio,web]
// Churn benchmark (100,000 connect/subscribe/disconnect cycles against one Web replica):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- churn [--cycles 100000]
// Collector benchmark (its Native AOT executable against its targets; run packaging/deb/build.sh first):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- collector [--binary PATH] [--starts 5] [--cpu-seconds 60] [--samples 3600]
if (args.ElementAtOrDefault(0) == "fleet") return await FleetBenchmark.RunAsync(args);
if (args.ElementAtOrDefault(0) == "peer") return await PeerBenchmark.RunAsync(args);
if (args.ElementAtOrDefault(0) == "churn") return await ChurnBenchmark.RunAsync(args);
if (args.ElementAtOrDefault(0) == "collector") return await CollectorBenchmark.RunAsync(args);
if (args.ElementAtOrDefault(0) == "turbo-server") return await TurboPeerServer.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
var scenario = args.ElementAtOrDefault(0) ?? "both";
if (scenario == "connections") return await ConnectionMemoryRun.RunAsync(int.TryParse(args.ElementAtOrDefault(1), out var step) && step > 0 ? step : 1000);
var connections = int.TryParse(args.ElementAtOrDefault(1), out var c) ? c : 1000;
var messages = int.TryParse(args.ElementAtOrDefault(2), out var m) ? m : 200;
if (scenario is not ("redis" or "memory" or "both") || connections < 1 || messages < 1)
{
    Console.Error.WriteLine("usage: LoadCluster.Benchmarks [redis|memory|both] [connections >= 1] [messages >= 1]");
    return 2;
}

Console.WriteLine($"broadcast to {connections} WebSocket connections, {messages} messages per phase, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"{"setup",-30} {"phase",-10} {"bcast/s",9} {"deliv/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"missing",8}");

if (scenario is "memory" or "both")
{
    await using var server = await BenchServer.StartAsync(redis: null);
    await RunAsync("in-memory, 1 server", [server]);
}
if (scenario is "redis" or "both")
{
    await using var redis = await RedisProcess.StartAsync();
    var servers = new List<BenchServer>();
    for (var i = 0; i < 3; i++) servers.Add(await BenchServer.StartAsync(redis.ConnectionString));
    try { await RunAsync("redis backplane, 3 servers", servers); }
    finally { foreach (var server in servers) await server.DisposeAsync(); }
}
return 0;

async Task RunAsync(string setup, IReadOnlyList<BenchServer> servers)
{
    var run = new BroadcastRun(servers, connections);
    await run.ConnectAsync();
    await run.RunAsync(20, TimeSpan.Zero); // warm-up, not printed
    Print(setup, "paced", await run.RunAsync(messages, TimeSpan.FromMilliseconds(20)));
    Print(setup, "flood", await run.RunAsync(messages, TimeSpan.Zero));
    await run.DisposeAsync();
}

static void Print(string setup, string phase, BroadcastRun.Result r) =>
    Console.WriteLine($"{setup,-30} {phase,-10} {r.BroadcastsPerSecond,9:0} {r.DeliveriesPerSecond,10:0} {r.P50Ms,8:0.0} {r.P99Ms,8:0.0} {r.MaxMs,8:0.0} {r.Missing,8}");
