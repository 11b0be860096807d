using System.Diagnostics;
using LoadCluster.FleetSimulator;
using StackExchange.Redis;

// Publishes realistic, varying, valid samples for N named hosts into a running cluster's Redis,
// so the board can be seen (and measured) at fleet size. Not part of the product.
// Each simulated host publishes on its own channel and writes only its own keys, as a collector
// does (SampleWrites), but all of them over one connection with one credential: 5,000 Redis users
// and connections would measure the simulator, not the board. Give it the admin's credential, or
// a user allowed to write {prefix}:* and publish on {prefix}:samples:* (README, "Tests and benchmarks").
var (options, error) = SimulatorOptions.Parse(args);
if (options is null)
{
    if (error is { Length: > 0 }) Console.Error.WriteLine($"LoadCluster.FleetSimulator: {error}");
    Console.Error.WriteLine(SimulatorOptions.Usage);
    return error is { Length: > 0 } ? 2 : 0;
}

var config = ConfigurationOptions.Parse(options.Redis);
config.AbortOnConnectFail = false;
Microsoft.Extensions.Hosting.RedisExtensions.AskOnlyWhatTheAclAllows(config, subscribes: false);
// A private CA, as the services take it (LoadCluster__Redis__CaFile), for a TLS Redis (ssl=true in --redis).
if (Environment.GetEnvironmentVariable("LoadCluster__Redis__CaFile") is { Length: > 0 } ca) config.TrustIssuer(ca);
// As the services' connection does: channels under the cluster's prefix (see RedisNames).
config.ChannelPrefix = RedisChannel.Literal(new LoadCluster.Samples.RedisNames(options.Prefix).ChannelPrefix);
using var redis = await ConnectionMultiplexer.ConnectAsync(config);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
// At exit after the run, stop is disposed already.
AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { stop.Cancel(); } catch (ObjectDisposedException) { } };
if (options.Duration is { } duration) stop.CancelAfter(duration);

var fleet = new Fleet(options, redis);
Console.WriteLine($"simulating {options.Hosts} hosts ({options.HostName(0)} ...) every {options.Interval.TotalMilliseconds:0} ms into {options.Redis} prefix {options.Prefix}");
var run = fleet.RunAsync(stop.Token);
var clock = Stopwatch.StartNew();
var last = (At: TimeSpan.Zero, Published: 0L);
while (!run.IsCompleted)
{
    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
    var now = (At: clock.Elapsed, Published: fleet.Published);
    Console.WriteLine($"{now.At.TotalSeconds,6:0}s  {(now.Published - last.Published) / (now.At - last.At).TotalSeconds,8:0} samples/s  {fleet.Published} published  {fleet.Failed} failed");
    last = now;
}
try { await run; } catch (OperationCanceledException) { }
return 0;
