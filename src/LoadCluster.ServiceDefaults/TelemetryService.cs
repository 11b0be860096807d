using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Starts the OpenTelemetry tracer and meter providers with the host and disposes them (which
/// flushes pending exports) when it stops. OpenTelemetry.Extensions.Hosting would do this, but it
/// is not in our package source.
/// </summary>
internal sealed class TelemetryService(IConfiguration configuration, ServiceIdentity identity, ILogger<TelemetryService> logger) : IHostedService, IDisposable
{
    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The exporters read OTEL_EXPORTER_OTLP_* and OTEL_METRIC_EXPORT_INTERVAL from IConfiguration;
        // handing them the host's configuration makes command-line and appsettings values count too,
        // not only environment variables.
        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(Resource(identity))
            .AddSource([.. TelemetryNames.ActivitySources])
            .AddOtlpExporter()
            .Build();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(Resource(identity))
            .AddMeter([.. TelemetryNames.Meters])
            .AddOtlpExporter()
            .Build();
        Log.TelemetryExporting(logger, identity.ServiceName, identity.InstanceId, configuration[TelemetryNames.OtlpEndpointSetting] ?? "");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracerProvider?.Dispose();
        _tracerProvider = null;
        _meterProvider?.Dispose();
        _meterProvider = null;
    }

    internal static ResourceBuilder Resource(ServiceIdentity identity) =>
        ResourceBuilder.CreateDefault().AddService(
            serviceName: identity.ServiceName,
            serviceVersion: identity.Version,
            autoGenerateServiceInstanceId: false,
            serviceInstanceId: identity.InstanceId);
}
