using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Admin.Tests;

/// <summary>The enrollment tool as an operator runs it (its build output, the admin credential in its environment), against real Redis nodes.</summary>
public sealed class EnrollmentTests
{
    private static readonly RedisAcl Acl = new(new RedisNames());

    [Fact]
    public async Task Hosts_add_prints_the_environment_file_that_alone_configures_the_collector_and_the_user_survives_a_Redis_restart()
    {
        var port = FreePort.Next();
        await using var redis = await TestRedis.StartAsync(port, acl: true);
        var added = (await Fleet.AdminAsync(redis, "hosts", "add", "enr-1")).Check();
        var env = Fleet.EnvFile(added.Output);
        Assert.Equal(["Collector__Host", "LoadCluster__Prefix", "ConnectionStrings__redis"], env.Keys);
        Assert.Equal("enr-1", env["Collector__Host"]);
        var connection = ConfigurationOptions.Parse(env["ConnectionStrings__redis"]);
        Assert.Equal((Acl.HostUser("enr-1"), 64), (connection.User, connection.Password?.Length));
        Assert.DoesNotContain("admin", env["ConnectionStrings__redis"], StringComparison.Ordinal);

        await using (var collector = await Fleet.CollectorAsync(env))
        {
            using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Admin());
            await Wait.UntilAsync(async () => await admin.GetDatabase().KeyExistsAsync("loadcluster:latest:enr-1"), TimeSpan.FromSeconds(30), "the collector's first sample");
        }

        // ACL SAVE wrote the user to the aclfile: a restarted Redis knows it.
        await redis.StopAsync();
        await redis.StartAsync();
        Assert.Contains(Acl.HostUser("enr-1"), await redis.CliAsync("ACL", "USERS"), StringComparison.Ordinal);
        var options = ConfigurationOptions.Parse(env["ConnectionStrings__redis"]);
        Microsoft.Extensions.Hosting.RedisExtensions.AskOnlyWhatTheAclAllows(options, subscribes: false);
        using var host = await ConnectionMultiplexer.ConnectAsync(options);
        await host.GetSubscriber().PublishAsync(RedisChannel.Literal("loadcluster:samples:enr-1"), "{}"); // NOPERM would throw
    }

    [Fact]
    public async Task Rules_update_gives_users_an_older_version_enrolled_todays_rules_and_keeps_their_passwords()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        var env = Fleet.EnvFile((await Fleet.AdminAsync(redis, "hosts", "add", "old-1")).Check().Output);
        (await Fleet.AdminAsync(redis, "web", "add")).Check();
        // As an older version made it: history a JSON list, no SETRANGE on the history ring.
        var user = Acl.HostUser("old-1");
        await redis.CliAsync("ACL", "SETUSER", user, "resetkeys", "%W~loadcluster:history:old-1", "-@all", "+lpush", "+publish");
        Task<string> DryRunAsync(params string[] command) => redis.CliAsync(["ACL", "DRYRUN", user, .. command]);
        Assert.DoesNotContain("OK", await DryRunAsync("SETRANGE", "loadcluster:points:old-1", "0", "x"), StringComparison.Ordinal);

        var updated = (await Fleet.AdminAsync(redis, "rules", "update")).Check();
        Assert.Contains("rules updated for 1 hosts and the web replicas' user", updated.Output, StringComparison.Ordinal);

        Assert.Equal("OK", await DryRunAsync("SETRANGE", "loadcluster:points:old-1", "0", "x"));
        Assert.DoesNotContain("OK", await DryRunAsync("LPUSH", "loadcluster:history:old-1", "x"), StringComparison.Ordinal);
        var options = ConfigurationOptions.Parse(env["ConnectionStrings__redis"]);
        Microsoft.Extensions.Hosting.RedisExtensions.AskOnlyWhatTheAclAllows(options, subscribes: false);
        using var host = await ConnectionMultiplexer.ConnectAsync(options); // the password it was given still signs in
        await host.GetDatabase().StringSetRangeAsync("loadcluster:points:old-1", 0, "x"); // NOPERM would throw

        var extra = await Fleet.AdminAsync(redis, "rules", "update", "old-1");
        Assert.Equal(2, extra.ExitCode);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_naming_what_to_fix()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        (await Fleet.AdminAsync(redis, "hosts", "add", "dup-1")).Check();

        var existing = await Fleet.AdminAsync(redis, "hosts", "add", "dup-1");
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("enrolled already", existing.Output, StringComparison.Ordinal);

        foreach (var name in new[] { "a*b", "a:b", "with space" })
        {
            var invalid = await Fleet.AdminAsync(redis, "hosts", "add", name);
            Assert.Equal(2, invalid.ExitCode);
            Assert.Contains("is not a valid host name", invalid.Output, StringComparison.Ordinal);
        }

        var noCredential = await Fleet.AdminAsync("", null, "hosts", "list");
        Assert.Equal(2, noCredential.ExitCode);
        Assert.Contains("ConnectionStrings__redis_admin is not set", noCredential.Output, StringComparison.Ordinal);

        var wrongPassword = await Fleet.AdminAsync(redis.UserConnectionString("admin", "wrong"), null, "hosts", "list");
        Assert.Equal(1, wrongPassword.ExitCode);
        Assert.Contains("refused the user and password of ConnectionStrings__redis_admin", wrongPassword.Output, StringComparison.Ordinal);

        var notEnrolled = await Fleet.AdminAsync(redis, "hosts", "revoke", "nobody-1");
        Assert.Equal(2, notEnrolled.ExitCode);
        Assert.Contains("is not enrolled", notEnrolled.Output, StringComparison.Ordinal);

        var secretOnArgv = await Fleet.AdminAsync(redis, "hosts", "add", "x-1", "--password", "p");
        Assert.Equal(2, secretOnArgv.ExitCode);
    }

    [Fact]
    public async Task A_Redis_that_keeps_users_in_memory_only_is_refused_saying_how_to_give_it_an_aclfile()
    {
        await using var redis = await TestRedis.StartAsync();
        var result = await Fleet.AdminAsync(redis, "hosts", "add", "mem-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no aclfile", result.Output, StringComparison.Ordinal);
        Assert.Contains("aclfile /etc/redis/users.acl", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Acl.HostUser("mem-1"), await redis.CliAsync("ACL", "USERS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_are_made_on_every_node_given_and_on_none_when_one_does_not_answer()
    {
        const string password = "same-admin-password-on-every-node";
        await using var primary = await TestRedis.StartAsync(acl: true, adminPassword: password);
        await using var replica = await TestRedis.StartAsync(acl: true, adminPassword: password);
        var both = $"127.0.0.1:{primary.Port},127.0.0.1:{replica.Port},user=admin,password={password},connectTimeout=2000";

        var env = Fleet.EnvFile((await Fleet.AdminAsync(both, null, "hosts", "add", "two-1")).Check().Output);
        Assert.StartsWith($"127.0.0.1:{primary.Port},127.0.0.1:{replica.Port},user=", env["ConnectionStrings__redis"], StringComparison.Ordinal);
        foreach (var node in new[] { primary, replica }) Assert.Contains(Acl.HostUser("two-1"), await node.CliAsync("ACL", "USERS"), StringComparison.Ordinal);
        var listed = (await Fleet.AdminAsync(both, null, "hosts", "list")).Check().Output;
        Assert.Contains("two-1", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("warning: the default user is on", listed, StringComparison.Ordinal);

        await replica.StopAsync();
        var oneDown = await Fleet.AdminAsync(both, null, "hosts", "add", "two-2");
        Assert.Equal(1, oneDown.ExitCode);
        Assert.Contains("does not answer", oneDown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Acl.HostUser("two-2"), await primary.CliAsync("ACL", "USERS"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosts_list_shows_each_enrolled_host_with_when_a_replica_last_heard_from_it()
    {
        await using var redis = await TestRedis.StartAsync(acl: true);
        (await Fleet.AdminAsync(redis, "hosts", "add", "seen-1")).Check();
        (await Fleet.AdminAsync(redis, "hosts", "add", "quiet-1")).Check();
        (await Fleet.AdminAsync(redis, "web", "add")).Check();
        using (var admin = await ConnectionMultiplexer.ConnectAsync(redis.Admin()))
            await admin.GetDatabase().SortedSetAddAsync("loadcluster:hosts", "seen-1", DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());

        var lines = (await Fleet.AdminAsync(redis, "hosts", "list")).Check().Output.Split('\n');
        Assert.Matches(@"^seen-1 +\S+Z \([4-9] s ago\) +loadcluster\.host\.seen-1 +all", lines.Single(l => l.StartsWith("seen-1", StringComparison.Ordinal)));
        Assert.Matches(@"^quiet-1 +never +loadcluster\.host\.quiet-1 +all", lines.Single(l => l.StartsWith("quiet-1", StringComparison.Ordinal)));
        Assert.Contains("2 hosts enrolled; web replicas' user loadcluster.web: present", lines, StringComparer.Ordinal);
    }
}
