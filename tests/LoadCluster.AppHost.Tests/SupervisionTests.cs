using System.Net;
using LoadCluster.Testing;

namespace LoadCluster.AppHost.Tests;

[Collection(RealClusterCollection.Name)]
public class SupervisionTests
{
    [Fact]
    public async Task A_crashed_replica_is_restarted_on_its_port_and_the_restart_is_reported()
    {
        var log = new LineLog();
        await using var cluster = await Cluster.StartAsync(new ClusterOptions { Replicas = 1, Port = FreePort.Next(), Output = log });
        var web = cluster.WebReplicas[0];
        var oldPid = web.Pid;

        web.Kill();

        await log.WaitForAsync(l => l == "[apphost] web-1 exited with code 137; restarting (restart 1)", TimeSpan.FromSeconds(30));
        await web.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(oldPid, web.Pid);
        Assert.Equal(1, web.Restarts);
        Assert.Equal(HttpStatusCode.OK, await Http.WaitOkAsync(new Uri(cluster.FrontDoor, "alive"), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_stopped_resource_stays_stopped_until_started_again()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var cluster = await Cluster.StartAsync(new ClusterOptions
        {
            Replicas = 1,
            Port = FreePort.Next(),
            RedisConnectionString = redis.ConnectionString,
            Output = TextWriter.Null,
        });
        Assert.Null(cluster.Redis);

        await cluster.Collector.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(cluster.Collector.IsRunning);
        Assert.Equal(0, cluster.Collector.Restarts);

        await cluster.Collector.StartAsync(TimeSpan.FromSeconds(60));
        Assert.True(cluster.Collector.IsRunning);
    }
}
