using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LoadCluster.AppHost;

/// <summary>
/// Says on the console when the cluster's Redis does not answer: after <see cref="Patience"/>
/// without an answer (counted from the AppHost's start, or from the last answer), which address it
/// waits for and which setting named it, again every <see cref="Repeat"/>, and once when Redis
/// answers. The services meanwhile start, stay Unhealthy and connect by themselves once it does.
/// </summary>
internal static class RedisWait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Repeat = TimeSpan.FromSeconds(30);

    /// <param name="namedBy">How the console names the setting that chose this Redis: <c>ConnectionStrings__redis</c>, <c>--redis local</c>…</param>
    public static void AddTo(IDistributedApplicationBuilder builder, IResourceWithConnectionString redis, string namedBy) =>
        // From BeforeStart, not as a hosted service: those start only once DCP has, 10 s and more into the run.
        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => WatchAsync(redis, namedBy, stopping), stopping);
            return Task.CompletedTask;
        });

    private static async Task WatchAsync(IResourceWithConnectionString target, string namedBy, CancellationToken stoppingToken)
    {
        // Silent since the AppHost started, until Redis first answers.
        var silentSince = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        TimeSpan Silence() => DateTime.UtcNow - silentSince;
        try
        {
            // Resolves once the AppHost has given its own Redis a port.
            var options = ConfigurationOptions.Parse(await target.GetConnectionStringAsync(stoppingToken) ?? "");
            options.AbortOnConnectFail = false;
            // Each probe answers at once, so the line comes on time.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ConnectTimeout = 2000;
            var address = Describe(options);
            using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            TimeSpan? toldAt = null;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (await AnswersAsync(redis))
                {
                    if (toldAt is not null) Console.WriteLine($"Redis at {address} answers after {Silence().TotalSeconds:0} s.");
                    toldAt = null;
                    silentSince = DateTime.UtcNow;
                }
                else if (Silence() >= Patience && (toldAt is null || Silence() - toldAt >= Repeat))
                {
                    toldAt = Silence();
                    Console.WriteLine($"Waiting for Redis at {address} (named by {namedBy}): no answer for {toldAt.Value.TotalSeconds:0} s; the services connect once it answers.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task<bool> AnswersAsync(ConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetDatabase().PingAsync(CommandFlags.DemandMaster);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The endpoints (and the Sentinel service), never the password.</summary>
    private static string Describe(ConfigurationOptions options)
    {
        var endpoints = string.Join(',', options.EndPoints.Select(e => e is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));
        return options.ServiceName is { Length: > 0 } service ? $"{endpoints} (sentinels, service {service})" : endpoints;
    }
}
