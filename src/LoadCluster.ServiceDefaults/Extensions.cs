using System.Globalization;
using LoadCluster.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire ServiceDefaults every LoadCluster service calls: OpenTelemetry, health checks,
/// service discovery and resilience for HttpClients (these two and the HTTP instrumentation only where
/// <see cref="HttpSupport"/> is on). In the Hosting namespace, as the template's, so a Program.cs needs
/// no extra using.
/// </summary>
public static class Extensions
{
    /// <summary>Tag of the checks that <c>/alive</c> runs: the process itself, no dependencies.</summary>
    public const string LiveTag = "live";

    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    /// <summary>Each service owns a meter and activity source named <c>LoadCluster.&lt;Service&gt;</c>; the wildcard picks them up.</summary>
    private const string AppTelemetry = "LoadCluster*";

    /// <summary>Share of routine background work traced, 0 to 1 (see <see cref="ClusterSampler"/>).</summary>
    public const string RoutineSamplingSetting = "LoadCluster:Telemetry:RoutineSampling";

    private const double DefaultRoutineSampling = 0.01;

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        if (!HttpSupport.IsEnabled) return builder;
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Logs, metrics and traces, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (protocol, headers and intervals from the standard <c>OTEL_*</c> settings). The resource
    /// names the service and, as <c>service.instance.id</c>, the instance (see <see cref="ServiceIdentity"/>).
    /// Traces are units of work, sampled as <see cref="ClusterSampler"/> says; a request that stays
    /// open as a WebSocket or an event stream is not traced as one span of its whole life (the Turbo
    /// library traces the session's start instead).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var identity = ServiceIdentity.From(builder.Configuration, builder.Environment);
        var routineSampling = RoutineSampling(builder.Configuration);
        builder.Services.AddSingleton(identity);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(identity.ServiceName, serviceVersion: identity.Version,
                autoGenerateServiceInstanceId: false, serviceInstanceId: identity.InstanceId))
            .WithMetrics(metrics =>
            {
                if (HttpSupport.IsEnabled) metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                metrics.AddRuntimeInstrumentation()
                    // SignalR's connection counts and durations; not part of AddAspNetCoreInstrumentation.
                    .AddMeter("Microsoft.AspNetCore.Http.Connections", AppTelemetry);
            })
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new ClusterSampler(routineSampling)))
                    .AddProcessor(new PageRouteSpans())
                    .AddSource(builder.Environment.ApplicationName, AppTelemetry);
                if (HttpSupport.IsEnabled)
                {
                    tracing.AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthPath) && !context.Request.Path.StartsWithSegments(AlivePath) && !IsLongLived(context.Request))
                        .AddHttpClientInstrumentation();
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }

    // Read from the headers: the filter runs before the WebSocket middleware says what the request is.
    private static bool IsLongLived(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase)
        || HttpMethods.IsConnect(request.Method) // a WebSocket over HTTP/2
        || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static double RoutineSampling(IConfiguration configuration)
    {
        var text = configuration[RoutineSamplingSetting];
        if (string.IsNullOrWhiteSpace(text)) return DefaultRoutineSampling;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
            ? ratio
            : throw new InvalidOperationException($"{RoutineSamplingSetting} (env {RoutineSamplingSetting.Replace(":", "__", StringComparison.Ordinal)}) must be a share from 0 to 1 of routine background work to trace, e.g. 0.01 (got '{text}').");
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check: ready to serve) and <c>/alive</c> (only the live ones),
    /// both answering JSON that names each check. Mapped in every environment, unlike the
    /// template: orchestrators and the compose file probe them; they reveal no secrets.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Probes never sign in: open even where the app requires sign-in for everything else.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();
        return app;
    }
}
