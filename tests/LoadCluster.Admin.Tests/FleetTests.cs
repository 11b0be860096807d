using System.Diagnostics;
using LoadCluster.Samples;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LoadCluster.Admin.Tests;

/// <summary>
/// A collector and a web replica, each on the user enrollment made for it, as processes against a
/// real Redis with ACLs (and TLS): revocation, a Redis restart, and TLS errors, as an operator meets them.
/// </summary>
public sealed class FleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Revoking_a_host_closes_its_connection_refuses_its_next_publish_and_its_row_goes_stale()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        var hostEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis, "hosts", "add", "rev-1")).Check().Output);
        var webEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis, "web", "add")).Check().Output);
        using var http = new HttpClient();
        await using var web = await Fleet.WebAsync(webEnv);
        await using var collector = await Fleet.CollectorAsync(hostEnv);
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "rev-1"))?.State == "live", Live, "rev-1 live on the board");
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Admin());
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        Assert.Contains("user=loadcluster.host.rev-1", await ClientsAsync(server), StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        (await Fleet.AdminAsync(redis, "hosts", "revoke", "rev-1")).Check();
        var revoked = clock.Elapsed;
        await Wait.UntilAsync(async () => !(await ClientsAsync(server)).Contains("user=loadcluster.host.rev-1", StringComparison.Ordinal), TimeSpan.FromSeconds(2), "the host's connections closed");
        output.WriteLine($"revoke took {revoked.TotalSeconds:0.00} s (the tool's start included); its connections were gone {(clock.Elapsed - revoked).TotalMilliseconds:0} ms after");

        // Its next publish is refused: the password no longer opens a connection.
        var again = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(hostEnv["ConnectionStrings__redis"] + ",abortConnect=true"));
        Assert.Contains("WRONGPASS", again.Message, StringComparison.Ordinal);
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "rev-1"))?.State is "stale" or "offline", TimeSpan.FromSeconds(5), "rev-1 stale on the board");
        Assert.DoesNotContain("user=loadcluster.host.rev-1", await ClientsAsync(server), StringComparison.Ordinal);
        // The collector says why, naming what to do.
        await Wait.UntilAsync(() => Task.FromResult(collector.Output.Contains("refused the user and password in ConnectionStrings:redis", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "the collector saying it was refused");
    }

    [Fact]
    public async Task Collector_and_web_on_their_own_users_run_through_a_Redis_restart_without_one_NOPERM()
    {
        var port = FreePort.Next();
        await using var redis = await TestRedis.StartAsync(port, acl: true);
        var verbose = new Dictionary<string, string> { ["Logging__LogLevel__StackExchange.Redis"] = "Debug", ["Logging__LogLevel__Default"] = "Debug" };
        var hostEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis, "hosts", "add", "np-1")).Check().Output).Concat(verbose).ToDictionary();
        var webEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis, "web", "add")).Check().Output).Concat(verbose).ToDictionary();
        using var http = new HttpClient();
        await using var web = await Fleet.WebAsync(webEnv);
        await using var collector = await Fleet.CollectorAsync(hostEnv);
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "np-1"))?.State == "live", Live, "np-1 live on the board");

        await redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var restarted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await redis.StartAsync();
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "np-1"))?.Ts > restarted, Live, "np-1's samples after the restart");
        await Task.Delay(TimeSpan.FromSeconds(3)); // probes, heartbeats, the hosts index and a reload after the reconnect

        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Admin());
        Assert.Empty(await Fleet.AclLogAsync(admin.GetServer(admin.GetEndPoints()[0])));
        foreach (var (name, process) in new[] { ("web", web), ("collector", collector) })
        {
            Assert.Contains("Redis connection to", process.Output, StringComparison.Ordinal); // the logs were captured
            Assert.DoesNotContain("NOPERM", process.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Services_connect_to_a_TLS_only_Redis_and_a_plaintext_client_or_a_wrong_CA_is_told_which_setting_to_fix()
    {
        using var tls = new TestTls();
        await using var redis = await TestRedis.StartAsync(acl: true, tls: tls);
        var admin = new Dictionary<string, string?> { ["LoadCluster__Redis__CaFile"] = tls.CaFile };
        var hostEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis.ConnectionString, admin, "hosts", "add", "tls-1", "--ca-file", tls.CaFile)).Check().Output);
        var webEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis.ConnectionString, admin, "web", "add", "--ca-file", tls.CaFile)).Check().Output);
        Assert.Contains(",ssl=true", hostEnv["ConnectionStrings__redis"], StringComparison.Ordinal);
        Assert.Equal(tls.CaFile, hostEnv["LoadCluster__Redis__CaFile"]);

        using var http = new HttpClient();
        await using (var web = await Fleet.WebAsync(webEnv))
        await using (var collector = await Fleet.CollectorAsync(hostEnv))
            await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "tls-1"))?.State == "live", Live, "tls-1 live over TLS");

        var plaintext = new Dictionary<string, string>(hostEnv) { ["ConnectionStrings__redis"] = hostEnv["ConnectionStrings__redis"].Replace(",ssl=true", "", StringComparison.Ordinal) };
        plaintext.Remove("LoadCluster__Redis__CaFile");
        await using (var collector = await Fleet.CollectorAsync(plaintext))
            await Wait.UntilAsync(() => Task.FromResult(collector.Output.Contains("add ssl=true to ConnectionStrings:redis", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), $"the plaintext collector naming ssl=true; it said:\n{collector.Output}");

        var wrongCa = new Dictionary<string, string>(hostEnv) { ["LoadCluster__Redis__CaFile"] = tls.WrongCaFile };
        await using (var collector = await Fleet.CollectorAsync(wrongCa))
            await Wait.UntilAsync(() => Task.FromResult(collector.Output.Contains("not trusted", StringComparison.Ordinal) && collector.Output.Contains("LoadCluster__Redis__CaFile", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), $"the collector with the wrong CA naming LoadCluster__Redis__CaFile; it said:\n{collector.Output}");
    }

    private static async Task<string> ClientsAsync(IServer server) => (await server.ExecuteAsync("CLIENT", "LIST")).ToString();
}
