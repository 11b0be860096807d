using LoadCluster.Benchmarks;

// Benchmarks of LoadCluster (build the solution in Release first; figures are valid only measured alone).
// Peer benchmark (LoadCluster beside Socket.IO 4.8 + redis-adapter, 3 servers, one Redis; needs Node.js):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- peer [--reps 3] [--clients 1000] [--paced 500] [--flood 1000] [--warmup 30] [--idle 10000,15000] [--stacks turbo,socketio,web]
// Fleet benchmark (the board's cost per host):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- fleet [--hosts 50,1000,5000] [--seconds 20] [--clients 5] [--crowd 100] [--web-env NAME=value] [--backfill true] [--web path/to/LoadCluster.Web.dll] [--simulator path/to/LoadCluster.FleetSimulator.dll]
// Churn benchmark (100,000 connect/disconnect cycles against one Web replica):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- churn [--cycles 100000]
// Capacity benchmark (Redis CPU per sample and per backplane push, and what one primary carries):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- capacity [--hosts 2000] [--subscribers 0,4,16,48] [--seconds 20]
// Connection memory (a page socket, a page event stream, a sample stream on one Web replica):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- connections [per step]
// Collector benchmark (its Native AOT executable against its targets; run packaging/deb/build.sh first):
//        dotnet run -c Release --project bench/LoadCluster.Benchmarks -- collector [--binary PATH] [--starts 5] [--cpu-seconds 60] [--samples 3600]
return args.ElementAtOrDefault(0) switch
{
    "peer" => await PeerBenchmark.RunAsync(args),
    "fleet" => await FleetBenchmark.RunAsync(args),
    "churn" => await ChurnBenchmark.RunAsync(args),
    "capacity" => await CapacityBenchmark.RunAsync(args),
    "collector" => await CollectorBenchmark.RunAsync(args),
    "connections" => await ConnectionMemoryRun.RunAsync(int.TryParse(args.ElementAtOrDefault(1), out var step) && step > 0 ? step : 1000),
    "turbo-server" => await TurboPeerServer.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: LoadCluster.Benchmarks peer|fleet|churn|capacity|connections|collector [options] (see the README's benchmarks section)");
    return 2;
}
