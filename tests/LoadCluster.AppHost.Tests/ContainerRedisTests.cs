using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LoadCluster.AppHost.Tests;

/// <summary>
/// <c>--redis container</c> through Aspire.Hosting.Testing, on the Docker engine the test command
/// starts: the cluster's Redis is Aspire's Redis container (the image a local stand-in where no
/// registry answers), and the collector's samples reach the board through it.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ContainerRedisTests
{
    /// <summary>The image Aspire.Hosting.Redis 13.6 runs.</summary>
    private const string Image = "docker.io/library/redis:8.6";

    [Fact]
    public async Task With_redis_in_a_container_the_collector_samples_reach_every_replica()
    {
        await DockerEngine.RequireAsync();
        await DockerEngine.RequireImageAsync(Image);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LoadCluster_AppHost>(["--replicas", "2", "--redis", "container"]);
        Assert.IsType<RedisResource>(builder.Resources.Single(r => r.Name == "redis"));
        await using var app = await builder.BuildAsync();
        using var start = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await app.StartAsync(start.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("redis", start.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", start.Token);

        using var http = app.CreateHttpClient("web", "http");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        JsonElement hosts;
        do
        {
            hosts = await http.GetFromJsonAsync<JsonElement>("/api/hosts");
            if (hosts.GetArrayLength() > 0) break;
            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(Environment.MachineName, hosts.EnumerateArray().Single().GetProperty("host").GetString());
        Assert.Equal(HealthStatus.Healthy, app.ResourceNotifications.TryGetCurrentState("redis", out var redis) ? redis.Snapshot.HealthStatus : null);
        await app.StopAsync();
    }
}
