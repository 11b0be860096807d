using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LoadCluster.ServiceDefaults.Tests;

public sealed class TelemetryExportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Spans_metrics_and_logs_arrive_over_otlp_http_with_service_name_and_replica()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "otlp-test-app" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "loadcluster-otlp-test",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["LoadCluster:Replica"] = "replica-7",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            // Names under LoadCluster* are picked up by the wildcard subscription, as a service's own meter is.
            using var source = new ActivitySource("LoadCluster.OtlpTest");
            using var meter = new Meter("LoadCluster.OtlpTest");
            var counter = meter.CreateCounter<long>("loadcluster.otlptest.things");
            using (source.StartActivity("otlp-test-span")) counter.Add(3);
            using (var http = new HttpClient()) await http.GetAsync(new Uri(receiver.Url + "/probe-from-app"));
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OtlpTest").LogWarning("otlp-test-log-line");

            Assert.True(await receiver.WaitForAsync("traces", Wait, "otlp-test-span", "loadcluster-otlp-test", "replica-7"), "no span reached /v1/traces");
            Assert.True(await receiver.WaitForAsync("traces", Wait, "/probe-from-app"), "no HttpClient span (System.Net.Http source) reached /v1/traces");
            Assert.True(await receiver.WaitForAsync("metrics", Wait, "loadcluster.otlptest.things", "loadcluster-otlp-test", "replica-7"), "no metric reached /v1/metrics");
            Assert.True(await receiver.WaitForAsync("logs", Wait, "otlp-test-log-line", "loadcluster-otlp-test"), "no log record reached /v1/logs");

            // The exporter's own HTTP calls must not be traced, or every export would cause another one.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(receiver.AnyContains("traces", "/v1/"), "the exporter traced its own export requests");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Without_an_otlp_endpoint_nothing_is_exported()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "no-otlp" });
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        using var host = builder.Build();
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "TelemetryService");
    }
}
