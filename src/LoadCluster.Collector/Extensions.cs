using LoadCluster.Collector;
using LoadCluster.Collector.Proc;
using LoadCluster.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class CollectorExtensions
{
    /// <summary>
    /// Adds the sampling worker: options from section "Collector" (validated at start), the /proc
    /// readers, the shared Redis connection ("redis"), the publisher, the "LoadCluster.Collector" meter, and
    /// systemd integration (readiness notification, journal log lines) when systemd runs it.
    /// </summary>
    public static TBuilder AddCollector<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CollectorOptions>().Bind(builder.Configuration.GetSection(CollectorOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        var names = RedisNames.FromConfiguration(builder.Configuration);
        builder.AddClusterRedis("redis", names.ChannelPrefix, subscribes: false);
        builder.Services.TryAddSingleton(names);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CollectorMetrics>();
        builder.Services.AddSingleton(services => new ProcReader(services.GetRequiredService<IOptions<CollectorOptions>>().Value.ProcPath));
        builder.Services.AddSingleton<Sampler>();
        builder.Services.AddSingleton<SamplePublisher>();
        builder.Services.AddSingleton<HeartbeatFile>();
        builder.Services.AddSingleton<SampleJourneys>();
        builder.Services.AddHostedService<CollectorWorker>();
        builder.AddSystemdService();
        return builder;
    }

    /// <summary>
    /// Under systemd: tells it when the collector is ready (the unit is Type=notify) and writes one
    /// journal line per log entry with its priority. <c>AddSystemd()</c> detects systemd by reading
    /// <c>/proc/&lt;parent&gt;/comm</c>, which the unit's <c>ProtectProc=invisible</c> hides (the parent
    /// is root's); systemd sets <c>NOTIFY_SOCKET</c> for a Type=notify service, which says the same.
    /// </summary>
    private static void AddSystemdService(this IHostApplicationBuilder builder)
    {
        if (!SystemdHelpers.IsSystemdService() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))) return;
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Systemd);
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
    }
}
