using System.Diagnostics;
using System.Globalization;
using LoadCluster.Samples;
using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// What one Redis primary carries before its CPU (one core: Redis runs commands on one thread) is
/// the limit. Two measurements on a redis-server of its own, each row on a fresh one, with its CPU
/// time read from /proc and its per-command figures from INFO commandstats:
/// 1. the fleet simulator's samples (a collector's writes per sample, then one PUBLISH) at
///    <c>--hosts</c> hosts at 1 Hz, with N connections subscribed to the samples as the web
///    replicas' relays are (PSUBSCRIBE <c>{prefix}:samples:*</c>): Redis CPU per sample, fitted as a + b·N;
/// 2. backplane messages: PUBLISH of a board push's size (330 bytes, as the SignalR backplane
///    sends one Turbo Stream row) at a fixed rate to N subscribers: c + d·N.
/// Then the hosts at 1 Hz one primary carries for a number of web replicas, and the replicas for a
/// number of hosts.
/// </summary>
internal static class CapacityBenchmark
{
    private const int PushBytes = 330;
    private const int PushesPerSecond = 2000;

    public static async Task<int> RunAsync(string[] args)
    {
        var hosts = 2000;
        int[] subscribers = [0, 4, 16, 48];
        var window = TimeSpan.FromSeconds(20);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--hosts": hosts = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--subscribers": subscribers = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--seconds": window = TimeSpan.FromSeconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var simulator = Path.Combine(Checkout.Root, "bench/LoadCluster.FleetSimulator/bin/Release/net10.0/LoadCluster.FleetSimulator.dll");
        if (!File.Exists(simulator)) { Console.Error.WriteLine($"{simulator} is missing: run 'dotnet build LoadCluster.sln -c Release' first"); return 2; }

        Console.WriteLine($"capacity benchmark: {hosts} hosts at 1 Hz (the fleet simulator), {window.TotalSeconds:0} s per row; {Machine.Describe()}; load average {Machine.LoadAverage()}");
        Console.WriteLine($"{"subscribers",11} {"samples/s",10} {"deliveries/s",13} {"Redis CPU %",12} {"µs/sample",10}");
        var samples = new List<(int N, double Micros)>();
        string? perCommand = null;
        foreach (var n in subscribers)
        {
            var (rate, delivered, cpu, commands) = await SamplesAsync(simulator, hosts, n, window);
            var micros = cpu / rate * 1e6;
            samples.Add((n, micros));
            perCommand ??= commands;
            Console.WriteLine($"{n,11} {rate,10:0} {delivered,13:0} {cpu * 100,12:0.0} {micros,10:0.0}");
        }
        Console.WriteLine($"per command inside Redis (INFO commandstats, µs per call, no subscribers): {perCommand}");

        Console.WriteLine($"{"subscribers",11} {"pushes/s",10} {"deliveries/s",13} {"Redis CPU %",12} {"µs/push",10}");
        var pushes = new List<(int N, double Micros)>();
        foreach (var n in subscribers)
        {
            var (rate, delivered, cpu) = await PushesAsync(n, window);
            pushes.Add((n, cpu / rate * 1e6));
            Console.WriteLine($"{n,11} {rate,10:0} {delivered,13:0} {cpu * 100,12:0.0} {cpu / rate * 1e6,10:0.0}");
        }

        var (a, b) = Fit(samples);
        var (c, d) = Fit(pushes);
        Console.WriteLine($"per sample: {a:0.0} µs (the collector's writes and its PUBLISH) + {b:0.00} µs per subscribed web replica; per backplane push: {c:0.0} µs + {d:0.00} µs per subscribed web replica");
        Console.WriteLine("one primary at 100% of a core (samples only; every backplane push per second costs as above):");
        foreach (var replicas in new[] { 2, 3, 5, 10, 20, 50 })
            Console.WriteLine($"  {replicas,3} web replicas: {1e6 / (a + b * replicas),9:0} hosts at 1 Hz");
        foreach (var fleet in new[] { 1000, 5000, 10000, 20000 })
        {
            var most = (1e6 / fleet - a) / b;
            Console.WriteLine($"  {fleet,6} hosts at 1 Hz: {(most >= 1 ? $"{Math.Floor(most):0} web replicas" : "not even one web replica")}");
        }
        Console.WriteLine($"load average after: {Machine.LoadAverage()}");
        return 0;
    }

    /// <summary>Samples per second, deliveries per second, Redis CPU (cores) and its per-command figures over one window.</summary>
    private static async Task<(double Rate, double Delivered, double Cpu, string Commands)> SamplesAsync(string simulatorDll, int hosts, int subscribers, TimeSpan window)
    {
        await using var redis = await RedisProcess.StartAsync();
        var names = new RedisNames();
        var (listeners, received) = await SubscribeAsync(redis, subscribers, RedisChannel.Pattern(RedisNames.SamplesPattern), names.ChannelPrefix);
        await using var fleet = ChildProcess.Start("dotnet", [simulatorDll, "--hosts", hosts.ToString(CultureInfo.InvariantCulture), "--interval", "1s", "--flaky", "0", "--redis", redis.ConnectionString], new Dictionary<string, string>());
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        // Every host sampled a few times and the simulator's code optimized before measuring.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var (calls0, cpu0, got0) = (await CallsAsync(admin), ChildProcess.CpuTime(redis.Id), received());
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        var (calls, cpu, got, seconds) = (await CallsAsync(admin), ChildProcess.CpuTime(redis.Id), received(), clock.Elapsed.TotalSeconds);
        var published = calls.GetValueOrDefault("publish").Calls - calls0.GetValueOrDefault("publish").Calls;
        var commands = string.Join(", ", calls.Where(c => c.Key != "publish" || subscribers == 0).Where(c => c.Value.Calls - calls0.GetValueOrDefault(c.Key).Calls > published / 2)
            .Select(c => $"{c.Key} {(c.Value.Micros - calls0.GetValueOrDefault(c.Key).Micros) / (double)(c.Value.Calls - calls0.GetValueOrDefault(c.Key).Calls):0.00}"));
        foreach (var listener in listeners) await listener.DisposeAsync();
        return (published / seconds, (got - got0) / seconds, (cpu - cpu0).TotalSeconds / seconds, commands);
    }

    /// <summary>Backplane-sized PUBLISHes at a fixed rate: pushes per second, deliveries per second, Redis CPU (cores).</summary>
    private static async Task<(double Rate, double Delivered, double Cpu)> PushesAsync(int subscribers, TimeSpan window)
    {
        await using var redis = await RedisProcess.StartAsync();
        var channel = RedisChannel.Literal("loadcluster:LoadCluster.Turbo.TurboStreamsHub:group:hosts");
        var (listeners, received) = await SubscribeAsync(redis, subscribers, channel, prefix: null);
        using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var payload = new byte[PushBytes];
        Array.Fill(payload, (byte)'x');
        using var stop = new CancellationTokenSource();
        var sent = 0L;
        var sending = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                // Paced, each second's share sent in 10 ms steps, without waiting for each answer.
                var due = (long)(clock.Elapsed.TotalSeconds * PushesPerSecond);
                while (sent < due) { _ = publisher.GetSubscriber().PublishAsync(channel, payload, CommandFlags.FireAndForget); sent++; }
                await Task.Delay(10);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (sent0, cpu0, got0) = (Interlocked.Read(ref sent), ChildProcess.CpuTime(redis.Id), received());
        var window0 = Stopwatch.StartNew();
        await Task.Delay(window);
        var (sent1, cpu1, got1, seconds) = (Interlocked.Read(ref sent), ChildProcess.CpuTime(redis.Id), received(), window0.Elapsed.TotalSeconds);
        await stop.CancelAsync();
        await sending;
        foreach (var listener in listeners) await listener.DisposeAsync();
        return ((sent1 - sent0) / seconds, (got1 - got0) / seconds, (cpu1 - cpu0).TotalSeconds / seconds);
    }

    /// <summary>N connections of their own subscribed to one channel or pattern, as N web replicas are; returns them and a count of what they received.</summary>
    private static async Task<(List<ConnectionMultiplexer> Listeners, Func<long> Received)> SubscribeAsync(RedisProcess redis, int count, RedisChannel channel, string? prefix)
    {
        var received = new long[1];
        var listeners = new List<ConnectionMultiplexer>();
        for (var i = 0; i < count; i++)
        {
            var options = ConfigurationOptions.Parse(redis.ConnectionString);
            if (prefix is not null) options.ChannelPrefix = RedisChannel.Literal(prefix);
            var listener = await ConnectionMultiplexer.ConnectAsync(options);
            await listener.GetSubscriber().SubscribeAsync(channel, (_, _) => Interlocked.Increment(ref received[0]));
            listeners.Add(listener);
        }
        return (listeners, () => Interlocked.Read(ref received[0]));
    }

    /// <summary>INFO commandstats: calls and microseconds spent, per command.</summary>
    private static async Task<Dictionary<string, (long Calls, long Micros)>> CallsAsync(ConnectionMultiplexer admin)
    {
        var info = await admin.GetServers()[0].InfoRawAsync("commandstats") ?? "";
        var calls = new Dictionary<string, (long, long)>();
        foreach (var line in info.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal)))
        {
            // cmdstat_set:calls=123,usec=456,usec_per_call=3.7,...
            var (name, fields) = (line[8..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..].Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]));
            calls[name] = (long.Parse(fields["calls"], CultureInfo.InvariantCulture), long.Parse(fields["usec"], CultureInfo.InvariantCulture));
        }
        return calls;
    }

    /// <summary>Least squares y = a + b·x.</summary>
    private static (double A, double B) Fit(List<(int X, double Y)> points)
    {
        var (mx, my) = (points.Average(p => (double)p.X), points.Average(p => p.Y));
        var b = points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
        return (my - b * mx, b);
    }
}
