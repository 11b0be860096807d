using System.Diagnostics;
using LoadCluster.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>
/// <c>--check</c>, for configuration management: validates the settings, reads /proc once, connects
/// to Redis as the service would (same connection string, user, TLS), and prints what it would
/// send, without sending it. Returns 0; every failure throws with the reason and the setting to fix.
/// </summary>
internal static class CollectorCheck
{
    /// <summary>How long to wait for Redis: a few of the client's reconnect attempts.</summary>
    private static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(IHost host, string environmentFile, TextWriter output)
    {
        var services = host.Services;
        var options = services.GetRequiredService<IOptions<CollectorOptions>>().Value; // throws naming a bad setting
        var names = services.GetRequiredService<RedisNames>();
        await output.WriteLineAsync(CollectorVersion.Describe());
        await output.WriteLineAsync(File.Exists(environmentFile) ? $"settings: {environmentFile} and the environment" : "settings: the environment");
        await output.WriteLineAsync($"host {options.Host}, every {options.Interval}, from {options.ProcPath}");

        var sample = services.GetRequiredService<Sampler>().Read(); // throws naming the /proc file
        await output.WriteLineAsync($"/proc: read loadavg, stat, meminfo, uptime: {sample.Cores} cores, load {sample.Load1}");

        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        var primary = await ConnectAsync(redis);
        var clock = Stopwatch.StartNew();
        await redis.GetDatabase().PingAsync();
        await output.WriteLineAsync($"redis: connected to {primary.EndPoint}{AsUser(redis)}, PING {clock.Elapsed.TotalMilliseconds:0.0} ms");

        await output.WriteLineAsync($"would publish every {options.Interval} on {names.SamplesChannel(options.Host)} (and write {names.Latest(options.Host)}, its history and rollups):");
        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(SampleJson.Serialize(sample)));
        await output.WriteLineAsync("check passed");
        return 0;
    }

    private static string AsUser(IConnectionMultiplexer redis) =>
        ConfigurationOptions.Parse(redis.Configuration).User is { Length: > 0 } user ? $" (user {user})" : "";

    /// <summary>Waits for the connection to the primary (the one samples are written to); throws with the client's last failure (refused, TLS, wrong password, ...).</summary>
    private static async Task<IServer> ConnectAsync(IConnectionMultiplexer redis)
    {
        var deadline = Stopwatch.StartNew();
        while (!redis.IsConnected && deadline.Elapsed < ConnectWait) await Task.Delay(100);
        if (redis.IsConnected)
        {
            if (redis.GetServers().FirstOrDefault(server => server.IsConnected && !server.IsReplica) is { } primary) return primary;
            throw new InvalidOperationException("Redis answers, but only as a replica: samples are written to the primary. " +
                "Point ConnectionStrings__redis at the primary, or at the sentinels with serviceName=<the primary's name>.");
        }
        throw new InvalidOperationException($"Cannot connect to Redis at {string.Join(", ", redis.GetEndPoints().Select(e => e.ToString()))} " +
            $"within {ConnectWait.TotalSeconds:0} s ({await FailureAsync(redis)}). Check ConnectionStrings__redis (address, port, user, password, ssl) in the environment file.");
    }

    // A command on a connection that is down fails at once (the backlog policy is FailFast) with the
    // client's last failure: its kind (UnableToConnect, AuthenticationFailure, ...) and the cause.
    private static async Task<string> FailureAsync(IConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return "it answered just now: try again";
        }
        catch (RedisConnectionException e)
        {
            // The client nests its reports (each a long status line); the innermost kind and the
            // first cause that is not one of them (a socket, TLS or server error) say it plainly.
            var kind = e.FailureType;
            string? cause = null;
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is RedisConnectionException nested) kind = nested.FailureType;
                else cause ??= inner.Message;
            }
            return cause is null ? kind.ToString() : $"{kind}: {cause}";
        }
    }
}
