using System.Globalization;
using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// Connects, subscribes and disconnects clients against one Web replica (100,000 cycles by default,
/// <see cref="Parallel"/> at a time per generator, in four rounds) and prints the replica's resident
/// set, its GC heap after a full collection and the number of Redis pub/sub channels: before, after
/// each round (and with clients held open halfway), and after a settling pause. Memory and channels
/// back at their baseline mean a connection leaves nothing behind.
/// </summary>
internal static class ChurnBenchmark
{
    private const int Parallel = 25;
    private const int Generators = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var cycles = 100_000;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--cycles": cycles = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        if (!File.Exists(WebReplica.DefaultDll)) { Console.Error.WriteLine($"{WebReplica.DefaultDll} is missing: run 'dotnet build LoadCluster.sln -c Release' first"); return 2; }
        var peer = Path.Combine(Checkout.Root, "bench", "peer");

        Console.WriteLine($"churn benchmark on {Machine.Describe()}; {cycles} page-socket connect/subscribe/disconnect cycles against one Web replica, {Generators * Parallel} at a time; load average {Machine.LoadAverage()}");
        await using var redis = await RedisProcess.StartAsync();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var port = FreePort.Next();
        await using var web = WebReplica.Start(WebReplica.DefaultDll, redis.ConnectionString, 1, port, new Dictionary<string, string>
        {
            ["LoadCluster__Limits__ConnectionsPerClient"] = "10000",
            ["LoadCluster__Limits__MaxConnections"] = "1000000",
        });
        var origin = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient();
        await WebReplica.WaitHealthyAsync(http, origin);
        var signed = await WebReplica.SignedStreamNameAsync(http, origin);
        var url = $"ws://127.0.0.1:{port}/turbo-stream";
        var generators = Enumerable.Range(0, Generators).Select(_ => LoadGenerator.Start(peer)).ToList();
        try
        {
            Console.WriteLine($"{"when",-34} {"cycles",8} {"RSS MiB",9} {"GC heap MiB",12} {"Redis channels",15} {"failed",7}");
            var failed = 0;
            await PrintAsync("fresh", 0);
            // The first cycles pay for JIT and tiering, pools, the GC's first heaps and the first EventPipe
            // session's buffers (the heap readings): the baseline is after a tenth of the run.
            var warmUp = Math.Max(1000, cycles / 10);
            failed += await ChurnAsync(warmUp);
            var done = warmUp;
            await PrintAsync($"baseline (after {warmUp:N0} warm-up)", done);
            for (var round = 1; round <= 4; round++)
            {
                var count = cycles / 4;
                if (round == 2)
                {
                    // During: a round with 1,000 clients held open beside it.
                    var holding = generators.Select((g, i) => g.SendAsync(new { cmd = "connect", protocol = "turbo", urls = new[] { url }, stream = signed, count = 500, localAddress = $"127.0.0.{i + 12}" })).ToList();
                    await Task.WhenAll(holding);
                    failed += await ChurnAsync(count);
                    done += count;
                    await PrintAsync("during (1,000 held open)", done);
                    foreach (var generator in generators) await generator.SendAsync(new { cmd = "close" });
                    continue;
                }
                failed += await ChurnAsync(count);
                done += count;
                await PrintAsync($"after round {round}", done);
            }
            // Kestrel's memory pool hands idle blocks back every 10 s, a share at a time.
            await Task.Delay(TimeSpan.FromSeconds(30));
            await PrintAsync("after, settled 30 s", done);

            async Task PrintAsync(string when, int cycles)
            {
                var rss = await Machine.SettledRssAsync(web.Id);
                var heap = await GcHeap.AfterFullCollectionAsync(web.Id);
                var channels = ((RedisResult[])(await admin.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS"))!).Length;
                Console.WriteLine($"{when,-34} {cycles,8} {rss / 1048576.0,9:0.0} {heap / 1048576.0,12:0.0} {channels,15} {failed,7}");
            }
        }
        finally
        {
            foreach (var generator in generators) await generator.DisposeAsync();
        }
        return 0;

        async Task<int> ChurnAsync(int count)
        {
            var answers = await Task.WhenAll(generators.Select((g, i) => g.SendAsync(new
            {
                cmd = "churn", protocol = "turbo", url, stream = signed, cycles = count / generators.Count, parallel = Parallel, localAddress = $"127.0.0.{i + 2}",
            })));
            return answers.Sum(a => (int)a["failed"]!);
        }
    }
}
