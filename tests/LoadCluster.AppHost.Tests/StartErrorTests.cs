using System.Net;
using System.Net.Sockets;
using LoadCluster.AppHost.Resources;

namespace LoadCluster.AppHost.Tests;

public class StartErrorTests
{
    [Fact]
    public async Task A_busy_port_is_reported_before_anything_starts()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var output = new StringWriter();

        var e = await Assert.ThrowsAsync<ClusterStartException>(() =>
            Cluster.StartAsync(new ClusterOptions { Replicas = 1, Port = port, Output = output }));

        Assert.Equal($"port {port} is in use: choose another with --port", e.Message);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task An_unreachable_external_redis_is_named_without_its_password()
    {
        var port = LoadCluster.Testing.FreePort.Next();
        var output = new StringWriter();

        var e = await Assert.ThrowsAsync<ClusterStartException>(() => Cluster.StartAsync(new ClusterOptions
        {
            Replicas = 1,
            Port = LoadCluster.Testing.FreePort.Next(),
            RedisConnectionString = $"127.0.0.1:{port},password=secret,connectTimeout=500",
            Output = output,
        }));

        Assert.Equal($"the Redis at 127.0.0.1:{port} (from ConnectionStrings__redis) does not answer: start it, fix the setting, or unset it to let the launcher start its own redis-server.", e.Message);
        Assert.DoesNotContain("secret", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_program_says_how_to_install_it()
    {
        var e = Assert.Throws<ClusterStartException>(() => Executables.Find("loadcluster-no-such-program", "redis-server"));

        Assert.Equal("loadcluster-no-such-program is not installed: run scripts/run.sh, which installs it, or apt-get install redis-server.", e.Message);
    }

    [Fact]
    public async Task An_invalid_collector_host_is_refused_with_the_setting_to_fix()
    {
        var e = await Assert.ThrowsAsync<ClusterStartException>(() =>
            Cluster.StartAsync(new ClusterOptions { Replicas = 1, Port = 1, CollectorHost = "a b", Output = TextWriter.Null }));

        Assert.Contains("set Collector__Host", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_output_is_found_for_the_configuration_the_launcher_was_built_with()
    {
        var solution = ProjectOutput.FindSolutionDirectory(AppContext.BaseDirectory);
        var (directory, dll) = ProjectOutput.Locate(solution, "LoadCluster.Web");

        Assert.True(File.Exists(dll));
        Assert.Contains(Path.Combine("bin", ProjectOutput.Configuration, "net10.0"), dll, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(solution, "src", "LoadCluster.Web"), directory);
    }

    [Fact]
    public void A_project_that_was_not_built_asks_for_a_build()
    {
        var solution = ProjectOutput.FindSolutionDirectory(AppContext.BaseDirectory);

        var e = Assert.Throws<ClusterStartException>(() => ProjectOutput.Locate(solution, "LoadCluster.NotAProject"));

        Assert.Contains("is not built", e.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet build", e.Message, StringComparison.Ordinal);
    }
}
