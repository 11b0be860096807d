using System.Net;
using System.Net.Sockets;

namespace LoadCluster.AppHost.Tests;

/// <summary>What a user sees when the cluster cannot start as asked: one line that says how to fix it, exit code 2, nothing left running.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StartErrorTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_busy_port_is_one_line_naming_the_port_and_the_option()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var error = await FailAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--redis", "local"]);

        Assert.Equal($"error: port {port} is in use by another process: stop it, or choose another with --port.", error);
    }

    [Fact]
    public async Task A_bad_replica_count_is_one_line_with_the_rule_and_the_usage()
    {
        var error = await FailAsync(["--replicas", "0"]);
        Assert.StartsWith("error: --replicas must be a whole number from 1 to 64 (got '0'). usage: dotnet run --project src/LoadCluster.AppHost --", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_redis_server_is_one_line_saying_how_to_install_it_or_what_else_to_use()
    {
        // A PATH with dotnet and env on it, and no redis-server.
        var bin = Directory.CreateTempSubdirectory("loadcluster-path-");
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin.FullName, "dotnet"), Environment.ProcessPath ?? "/usr/bin/dotnet");
            File.CreateSymbolicLink(Path.Combine(bin.FullName, "env"), "/usr/bin/env");
            var error = await FailAsync(["--redis", "local", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)],
                new Dictionary<string, string> { ["PATH"] = bin.FullName });
            Assert.Equal("error: redis-server is not installed: apt-get install redis-server (scripts/run.sh does), or run with --redis container, or set ConnectionStrings__redis to a Redis you have.", error);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    private static async Task<string> FailAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var host = AppHostProcess.Start(args, environment);
        var code = await host.WaitForExitAsync(Exit);
        var errors = host.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == 2, $"exit code {code}\nstdout:\n{host.Stdout}\nstderr:\n{host.Stderr}");
        return Assert.Single(errors);
    }
}
