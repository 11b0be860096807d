using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LoadCluster.SignalR.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.SignalR.Redis.Tests.Registration;

public sealed class RegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static WebApplication Build(Action<ISignalRServerBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        configure(builder.Services.AddSignalR());
        return builder.Build();
    }

    [Theory]
    [InlineData(null, "RedisBackplaneOptions.Configuration is empty")]
    [InlineData("127.0.0.1:6379,nosuchoption=1", "RedisBackplaneOptions.Configuration cannot be parsed")]
    public async Task The_app_refuses_to_start_with_a_bad_configuration_and_names_the_setting(string? configuration, string expected)
    {
        await using var app = Build(s => s.AddRedisBackplane(configuration));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task The_app_refuses_to_start_with_a_receive_queue_capacity_that_is_not_positive()
    {
        await using var app = Build(s => s.AddRedisBackplane(o =>
        {
            o.Configuration = "127.0.0.1:6379";
            o.ReceiveQueueCapacity = 0;
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("RedisBackplaneOptions.ReceiveQueueCapacity must be positive", error.Message);
    }

    [Fact]
    public async Task A_password_in_the_configuration_never_appears_in_a_validation_error()
    {
        await using var app = Build(s => s.AddRedisBackplane("127.0.0.1:6379,password=hunter2,nosuchoption=1"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task The_backplane_replaces_the_default_manager_and_registers_its_health_check()
    {
        await using var app = Build(s => s.AddRedisBackplane(redis.ConnectionString));

        Assert.IsType<RedisHubLifetimeManager<TestHub>>(app.Services.GetRequiredService<HubLifetimeManager<TestHub>>());
        var registration = Assert.Single(app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == RedisBackplaneExtensions.HealthCheckName);
        Assert.Contains("ready", registration.Tags);

        await app.StartAsync();
        var health = app.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await health.CheckHealthAsync()).Status != HealthStatus.Healthy && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_meter_counts_published_received_and_written_messages()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RedisBackplaneExtensions.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();
        await using var cluster = await Cluster.StartAsync(2, redis.ConnectionString);
        var local = await cluster[0].ConnectAsync();
        var remote = await cluster[1].ConnectAsync();

        await cluster[0].Manager.SendAllAsync("m", ["counted"]);
        await Expect.EachOnceAsync([local, remote], "counted");

        Assert.True(totals.GetValueOrDefault("loadcluster.backplane.messages.published") >= 1);
        Assert.True(totals.GetValueOrDefault("loadcluster.backplane.messages.received") >= 1);
        Assert.True(totals.GetValueOrDefault("loadcluster.backplane.messages.written") >= 2);
    }
}
