using System.Diagnostics;
using System.Diagnostics.Metrics;
using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// What ServiceDefaults exports, received by a real OTLP/HTTP endpoint on loopback. Alone, because
/// activity sources are process-wide: the app under test would also trace other tests' requests.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryExportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Spans_metrics_and_logs_arrive_over_otlp_with_service_name_replica_and_the_framework_instruments()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await StartAppAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var http = new HttpClient { BaseAddress = app.BoundAddress() };

        // Names under LoadCluster* are picked up by the wildcard, as a service's own meter and source are.
        using var source = new ActivitySource("LoadCluster.OtlpTest");
        using var meter = new Meter("LoadCluster.OtlpTest");
        var counter = meter.CreateCounter<long>("loadcluster.otlptest.things");
        using (source.StartActivity("otlp-test-span")) counter.Add(3);
        // The test's own calls are not traced as client spans (this process is the app's too), so
        // what arrives about them are the server's spans.
        using (SuppressInstrumentationScope.Begin())
        {
            await http.GetStringAsync("/page");
            await http.GetStringAsync("/health");
            await http.GetStringAsync("/alive");
        }
        await http.GetAsync(new Uri(receiver.Url + "/client-call"));
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OtlpTest").LogWarning("otlp-test-log-line {Thing}", 42);

        Assert.True(await receiver.WaitForAsync("traces", Wait, "otlp-test-span", "loadcluster-otlp-test", "replica-7"), "no span of the app's own source reached /v1/traces");
        Assert.True(await receiver.WaitForAsync("traces", Wait, "/page"), "no ASP.NET Core request span reached /v1/traces");
        Assert.True(await receiver.WaitForAsync("traces", Wait, "/client-call"), "no HttpClient span reached /v1/traces");
        Assert.True(await receiver.WaitForAsync("metrics", Wait, "loadcluster.otlptest.things", "loadcluster-otlp-test", "replica-7"), "the app's own meter did not reach /v1/metrics");
        Assert.True(await receiver.WaitForAsync("metrics", Wait, "http.server.request.duration"), "no ASP.NET Core metric reached /v1/metrics");
        Assert.True(await receiver.WaitForAsync("metrics", Wait, "dotnet.gc.collections"), "no runtime metric reached /v1/metrics");
        Assert.True(await receiver.WaitForAsync("logs", Wait, "otlp-test-log-line 42", "loadcluster-otlp-test"), "no formatted log record reached /v1/logs");

        // Probes are not traced, nor are the exporter's own calls (or every export would cause another).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(receiver.AnyContains("traces", "/health"), "a /health request was traced");
        Assert.False(receiver.AnyContains("traces", "/alive"), "an /alive request was traced");
        // (The receiver's own server spans are seen, as it runs in this process; a client span carries the full URL.)
        Assert.False(receiver.AnyContains("traces", receiver.Url + "/v1/"), "the exporter traced its own export requests");
    }

    [Fact]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_nothing_is_exported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // A per-signal endpoint alone does not switch export on: only the variable Aspire sets does.
        await using var app = await StartAppAsync(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = receiver.Url + "/v1/traces" });
        using var http = new HttpClient { BaseAddress = app.BoundAddress() };
        using (SuppressInstrumentationScope.Begin()) await http.GetStringAsync("/page");

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(receiver.AnyContains("traces", "/page"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("often")]
    public void A_bad_routine_sampling_share_stops_start_up_naming_the_setting_and_the_value(string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["LoadCluster:Telemetry:RoutineSampling"] = value });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceDefaults()).Message;
        Assert.Contains("LoadCluster__Telemetry__RoutineSampling", error, StringComparison.Ordinal);
        Assert.Contains($"(got '{value}')", error, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAppAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "otlp-test-app" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "loadcluster-otlp-test",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["LoadCluster:Replica"] = "replica-7",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/page", () => "page");
        await app.StartAsync();
        return app;
    }
}

