using System.Net;
using System.Text.Json;
using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LoadCluster.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    /// <summary>The Redis health check (ServiceDefaults' RedisHealthCheck, under the name Aspire gives its own).</summary>
    private const string RedisCheck = "StackExchange.Redis";

    [Fact]
    public async Task Health_names_redis_unhealthy_while_it_is_down_and_healthy_when_it_returns_while_alive_stays_up()
    {
        await using var redis = await TestRedis.StartAsync();
        var logs = new LogCollector();
        await using var app = await StartAsync(redis.ConnectionString, logs);
        using var http = new HttpClient { BaseAddress = app.BoundAddress(), Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal("Healthy", await WaitForRedisStatusAsync(http, "Healthy"));

        await redis.KillAsync();
        Assert.Equal("Unhealthy", await WaitForRedisStatusAsync(http, "Unhealthy"));
        var alive = await http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        using (var body = JsonDocument.Parse(await alive.Content.ReadAsStringAsync()))
            Assert.DoesNotContain(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == RedisCheck);

        await Task.Delay(TimeSpan.FromSeconds(3)); // several reconnect attempts while Redis is away
        await redis.StartAsync();
        Assert.Equal("Healthy", await WaitForRedisStatusAsync(http, "Healthy"));

        // However many reconnect attempts there were: one line when lost, one when restored.
        Assert.Single(logs.WithEventId(1001));
        Assert.Single(logs.WithEventId(1002));
    }

    [Fact]
    public async Task A_service_starts_without_redis_and_connects_when_it_appears()
    {
        var port = FreePort.Next();
        var logs = new LogCollector();
        await using var app = await StartAsync($"127.0.0.1:{port},connectTimeout=1000", logs);
        using var http = new HttpClient { BaseAddress = app.BoundAddress(), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("Unhealthy", await WaitForRedisStatusAsync(http, "Unhealthy"));
        Assert.Contains(logs.WithEventId(1001), e => e.Message.Contains("not reachable at start-up", StringComparison.Ordinal));

        await using var redis = await TestRedis.StartAsync(port);
        Assert.Equal("Healthy", await WaitForRedisStatusAsync(http, "Healthy"));
        Assert.Single(logs.WithEventId(1002));
    }

    [Theory]
    [InlineData("", "is not set")]
    [InlineData("127.0.0.1:6379,nosuchoption=1", "is not a valid StackExchange.Redis configuration string")]
    [InlineData("password=secret", "names no Redis endpoint")]
    public void A_bad_connection_string_is_a_startup_error_naming_the_setting_and_never_the_password(string value, string reason)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:cache"] = value;
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddClusterRedis("cache", "t:"));
        Assert.Contains("ConnectionStrings:cache (env ConnectionStrings__cache)", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(string redis, LogCollector logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Configuration["ConnectionStrings:redis"] = redis;
        builder.AddServiceDefaults().AddClusterRedis("redis", "t:");
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    // Polls /health until the Redis check reports the wanted status (or 30 s pass); returns the last status seen.
    private static async Task<string?> WaitForRedisStatusAsync(HttpClient http, string wanted)
    {
        string? status = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            status = body.RootElement.GetProperty("checks").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == RedisCheck).GetProperty("status").GetString();
            if (status == wanted)
            {
                Assert.Equal(wanted == "Healthy" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
                return status;
            }
            await Task.Delay(200);
        }
        return status;
    }
}
