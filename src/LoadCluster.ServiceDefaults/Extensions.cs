using LoadCluster.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The wiring every LoadCluster service shares. In the Hosting namespace, as Aspire's
/// ServiceDefaults are, so a Program.cs needs no extra using.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the health checks that <c>/alive</c> runs (the process itself, no dependencies).</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// Adds health checks, and OpenTelemetry traces, metrics and logs exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol, headers and intervals from the standard
    /// <c>OTEL_*</c> settings).
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var identity = ServiceIdentity.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(identity);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        if (!string.IsNullOrWhiteSpace(builder.Configuration[TelemetryNames.OtlpEndpointSetting]))
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.SetResourceBuilder(TelemetryService.Resource(identity));
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
                logging.AddOtlpExporter();
            });
            builder.Services.AddHostedService<TelemetryService>();
        }
        return builder;
    }

    /// <summary>
    /// Registers one shared <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c>
    /// and a "redis" health check. The service starts without Redis and reconnects by itself; a lost
    /// and a restored connection are each logged once.
    /// </summary>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder, string connectionName = "redis") where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = RedisConnectionFactory.ReadOptions(builder.Configuration, connectionName);
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var redis = ConnectionMultiplexer.Connect(options);
            _ = new RedisConnectionMonitor(redis, services.GetRequiredService<ILoggerFactory>().CreateLogger("LoadCluster.Redis"));
            return redis;
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName);
        return builder;
    }

    /// <summary>Maps <c>/health</c> (every check: ready to serve) and <c>/alive</c> (only "live" checks), both answering JSON.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
