using Xunit.Abstractions;

namespace LoadCluster.Admin.Tests;

/// <summary>
/// Enrollment behind Sentinel, as docker compose runs it (TLS, ACLs; <see cref="TestSentinel"/>):
/// the admin string names the sentinels, the tool finds the data nodes from them and makes each
/// user on every node and every sentinel, and a collector and a web replica on those users follow
/// a failover without one refusal.
/// </summary>
public sealed class SentinelEnrollmentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Through_the_sentinels_each_user_is_made_on_every_node_and_sentinel_and_its_services_follow_a_failover_without_a_refusal()
    {
        using var tls = new TestTls();
        await using var redis = await TestSentinel.StartAsync(acl: true, tls: tls);
        var trust = new Dictionary<string, string?> { ["LoadCluster__Redis__CaFile"] = tls.CaFile };
        var hostEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis.ConnectionString, trust, "hosts", "add", "sen-1", "--ca-file", tls.CaFile)).Check().Output);
        var webEnv = Fleet.EnvFile((await Fleet.AdminAsync(redis.ConnectionString, trust, "web", "add", "--ca-file", tls.CaFile)).Check().Output);

        // Through the sentinels, on the host's own user (there too), over TLS.
        var sentinels = redis.Endpoint.Split(',').TakeWhile(part => !part.StartsWith("serviceName=", StringComparison.Ordinal));
        Assert.Equal($"{string.Join(',', sentinels)},serviceName=loadcluster,user=loadcluster.host.sen-1,password={Password(hostEnv)},ssl=true", hostEnv["ConnectionStrings__redis"]);
        var listed = (await Fleet.AdminAsync(redis.ConnectionString, trust, "hosts", "list")).Check().Output;
        Assert.Matches(@"(?m)^sen-1 .* loadcluster\.host\.sen-1 +all$", listed);
        foreach (var port in redis.NodePorts) Assert.NotEqual("", await redis.CliAsync(port, "ACL", "GETUSER", "loadcluster.host.sen-1"));
        for (var i = 0; i < 3; i++) Assert.Contains("sentinel|get-master-addr-by-name", await redis.SentinelCliAsync(i, "ACL", "GETUSER", "loadcluster.host.sen-1"), StringComparison.Ordinal);

        using var http = new HttpClient();
        await using var web = await Fleet.WebAsync(webEnv);
        await using var collector = await Fleet.CollectorAsync(hostEnv);
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "sen-1"))?.State == "live", Live, "sen-1 is live on the board");

        var old = await redis.KillPrimaryAsync();
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var primary = await redis.WaitForNewPrimaryAsync(old, Live);
        await Wait.UntilAsync(async () => (await Fleet.HostOnBoardAsync(http, web, "sen-1"))?.Ts > killedAt, Live, "sen-1's samples came after the failover");
        output.WriteLine($"127.0.0.1:{old} killed, 127.0.0.1:{primary} promoted; sen-1's samples on the board again {(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - killedAt) / 1000.0:0.0} s after the kill");
        await redis.StartNodeAsync(old);
        await redis.WaitForReplicaAsync(old, Live);

        // Nothing refused anywhere: each service asked the nodes and the sentinels only what its user may.
        foreach (var port in redis.NodePorts) Assert.Equal("", await redis.CliAsync(port, "ACL", "LOG"));
        for (var i = 0; i < 3; i++) Assert.Equal("", await redis.SentinelCliAsync(i, "ACL", "LOG"));
        Assert.DoesNotContain("NOPERM", collector.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("NOPERM", web.Output, StringComparison.Ordinal);

        // Revoked everywhere, the returned old primary included.
        (await Fleet.AdminAsync(redis.ConnectionString, trust, "hosts", "revoke", "sen-1")).Check();
        foreach (var port in redis.NodePorts) Assert.Equal("", await redis.CliAsync(port, "ACL", "GETUSER", "loadcluster.host.sen-1"));
        for (var i = 0; i < 3; i++) Assert.Equal("", await redis.SentinelCliAsync(i, "ACL", "GETUSER", "loadcluster.host.sen-1"));
    }

    private static string Password(Dictionary<string, string> env) =>
        env["ConnectionStrings__redis"].Split(',').Single(part => part.StartsWith("password=", StringComparison.Ordinal))["password=".Length..];
}
