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
    [Fact]
    public async Task Health_reports_redis_unhealthy_while_it_is_down_and_healthy_when_it_returns_while_alive_stays_up()
    {
        await using var redis = await RedisServer.StartAsync();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:redis"] = redis.ConnectionString;
        builder.AddServiceDefaults().AddRedis();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            Assert.Equal("Healthy", await WaitForRedisStatusAsync(http, "Healthy"));

            await redis.StopAsync();
            Assert.Equal("Unhealthy", await WaitForRedisStatusAsync(http, "Unhealthy"));
            var alive = await http.GetAsync("/alive");
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            using (var body = JsonDocument.Parse(await alive.Content.ReadAsStringAsync()))
                Assert.DoesNotContain(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "redis");

            await redis.StartAsync();
            Assert.Equal("Healthy", await WaitForRedisStatusAsync(http, "Healthy"));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void Missing_connection_string_is_a_startup_error_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:redis"] = "";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddRedis());
        Assert.Contains("ConnectionStrings:redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_connection_string_is_a_startup_error_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:cache"] = "127.0.0.1:6379,nosuchoption=1";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddRedis("cache"));
        Assert.Contains("ConnectionStrings:cache", error.Message, StringComparison.Ordinal);
    }

    // Polls /health until the redis check reports the wanted status (or 30 s pass); returns the last status seen.
    private static async Task<string?> WaitForRedisStatusAsync(HttpClient http, string wanted)
    {
        string? status = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync("/health");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            status = body.RootElement.GetProperty("checks").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "redis").GetProperty("status").GetString();
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
