using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Admin.Tests;

/// <summary>
/// The users' rules (<see cref="RedisAcl"/>) on a real Redis 7: every command a host or a web
/// replica sends is allowed, everything else is refused (ACL DRYRUN), and a real client on a host
/// user is refused for real.
/// </summary>
public sealed class AclRulesTests : IAsyncLifetime
{
    private static readonly RedisAcl Acl = new(new RedisNames());
    private TestRedis _redis = default!;
    private ConnectionMultiplexer _admin = default!;

    private IServer Server => _admin.GetServer(_admin.GetEndPoints()[0]);

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync(acl: true);
        _admin = await ConnectionMultiplexer.ConnectAsync(_redis.Admin());
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    // What a collector and the handshake send (SampleWrites; StackExchange.Redis with ServiceDefaults' options).
    public static TheoryData<string> HostMayRun => new()
    {
        "SET loadcluster:latest:a {} EX 30", "SETEX loadcluster:latest:a 30 {}", "PSETEX loadcluster:latest:a 30500 {}",
        "SETRANGE loadcluster:points:a 14384 p", "EXPIRE loadcluster:points:a 900", "PEXPIRE loadcluster:points:a 900500",
        "SETRANGE loadcluster:points1h:a 3824 p", "SETRANGE loadcluster:points24h:a 0 p", "EXPIRE loadcluster:points24h:a 86400",
        "SET loadcluster:collector:a {} PX 30000", "PUBLISH loadcluster:samples:a {}",
        "PING", "ECHO x", "CLIENT SETNAME vm", "CLIENT ID",
    };

    // Another host, the web's channels and keys, reads, and every dangerous command (keyless ones included).
    public static TheoryData<string> HostMayNotRun => new()
    {
        "PUBLISH loadcluster:samples:b {}", "PUBLISH loadcluster:samples:ab {}", "PUBLISH loadcluster:samples:a:b {}", "PUBLISH loadcluster:samples:* {}",
        "PUBLISH loadcluster:LoadCluster.Turbo.TurboStreamsHub:all x", "PUBLISH loadcluster:LoadCluster.Turbo.TurboStreamsHub:internal:groups x",
        "PUBLISH loadcluster:signout 0123456789abcdef0123456789abcdef", "PUBLISH loadcluster:probe:web-1 1", "PUBLISH other:samples:a {}",
        "SUBSCRIBE loadcluster:samples:a", "PSUBSCRIBE loadcluster:samples:*",
        "GET loadcluster:latest:a", "GET loadcluster:latest:b", "LRANGE loadcluster:dataprotection-keys 0 -1", "GET loadcluster:points:a", "GETRANGE loadcluster:points:b 0 -1",
        "SET loadcluster:latest:a {} GET", "SET loadcluster:latest:b {}", "SET loadcluster:latest:ab {}", "SET loadcluster:latest:a:b {}", "SETRANGE loadcluster:points:ab 0 p",
        "SETRANGE loadcluster:points:b 0 p", "LPUSH loadcluster:history:a {}", "APPEND loadcluster:points:a p",
        "SET loadcluster:collector:b {}", "ZADD loadcluster:hosts 1 a", "DEL loadcluster:latest:a", "RENAME loadcluster:latest:a loadcluster:latest:b",
        "RPUSH loadcluster:dataprotection-keys x", "SET loadcluster:replica:web-1 {}",
        "FLUSHALL", "FLUSHDB", "CONFIG SET maxmemory 1", "CONFIG GET *", "SHUTDOWN NOSAVE", "DEBUG SLEEP 0", "KEYS *", "SCAN 0", "MONITOR",
        "CLIENT KILL USER loadcluster.web", "CLIENT LIST", "ACL SETUSER x on", "ACL LIST", "MODULE LIST", "SCRIPT FLUSH", "EVAL return 0", "FUNCTION FLUSH",
        "INFO", "SELECT 1", "SWAPDB 0 1", "SAVE", "BGSAVE", "REPLICAOF NO ONE", "CLUSTER NODES",
    };

    public static TheoryData<string> WebMayRun => new()
    {
        "GET loadcluster:latest:a", "MGET loadcluster:collector:a loadcluster:replica:web-1", "GET loadcluster:points:a", "GET loadcluster:points1h:a",
        "ZADD loadcluster:hosts GT 1 a", "ZRANGEBYSCORE loadcluster:hosts 0 +inf", "ZRANGE loadcluster:hosts 0 -1 WITHSCORES", "ZREMRANGEBYSCORE loadcluster:hosts -inf (1",
        "SET loadcluster:replica:web-1 {} EX 5", "LRANGE loadcluster:dataprotection-keys 0 -1", "RPUSH loadcluster:dataprotection-keys <key/>",
        "PSUBSCRIBE loadcluster:samples:*", "SUBSCRIBE loadcluster:LoadCluster.Turbo.TurboStreamsHub:all", "PUBLISH loadcluster:LoadCluster.Turbo.TurboStreamsHub:all x",
        "SUBSCRIBE loadcluster:signout", "PUBLISH loadcluster:probe:web-1 1", "PING", "ECHO x", "CLIENT SETNAME vm", "CLIENT ID",
    };

    public static TheoryData<string> WebMayNotRun => new()
    {
        "FLUSHALL", "FLUSHDB", "CONFIG SET maxmemory 1", "SHUTDOWN NOSAVE", "DEBUG SLEEP 0", "KEYS *", "SCAN 0", "MONITOR", "CLIENT KILL USER x",
        "ACL SETUSER x on", "MODULE LIST", "EVAL return 0", "SCRIPT FLUSH", "DEL loadcluster:hosts", "GET other:latest:a", "PUBLISH other:samples:a x",
        "PSUBSCRIBE *", "PSUBSCRIBE other:*",
    };

    [Theory]
    [MemberData(nameof(HostMayRun))]
    public async Task A_host_may_write_its_own_keys_and_publish_on_its_own_channel(string command) =>
        Assert.Equal("OK", await DryRunAsync(Acl.HostUser("a"), Acl.HostRules("a"), command));

    [Theory]
    [MemberData(nameof(HostMayNotRun))]
    public async Task A_host_may_do_nothing_else(string command) =>
        Assert.NotEqual("OK", await DryRunAsync(Acl.HostUser("a"), Acl.HostRules("a"), command));

    [Theory]
    [MemberData(nameof(WebMayRun))]
    public async Task The_web_user_may_run_what_replicas_send(string command) =>
        Assert.Equal("OK", await DryRunAsync(Acl.WebUser, Acl.WebRules, command));

    [Theory]
    [MemberData(nameof(WebMayNotRun))]
    public async Task The_web_user_may_run_no_admin_or_dangerous_command_and_nothing_outside_its_prefix(string command) =>
        Assert.NotEqual("OK", await DryRunAsync(Acl.WebUser, Acl.WebRules, command));

    [Fact]
    public void Host_names_cannot_carry_glob_characters_or_a_colon_into_a_rule()
    {
        foreach (var name in new[] { "a*", "a?", "a[b]", "a:b", "a\\b", "a b", "" })
            Assert.Throws<ArgumentException>(() => Acl.HostRules(name));
        // Every key and channel pattern of a host is an exact name: no glob character anywhere.
        var patterns = Acl.HostRules("web-17.example_1").Where(rule => rule.StartsWith("%W~", StringComparison.Ordinal) || rule.StartsWith('&')).ToList();
        Assert.Equal(6, patterns.Count);
        Assert.All(patterns, pattern => Assert.True(pattern.TrimStart('%', 'W', '~', '&').IndexOfAny(['*', '?', '[', '\\']) < 0, pattern));
    }

    [Fact]
    public async Task A_real_client_on_a_host_user_is_refused_everything_but_its_own_report()
    {
        // A stolen credential in a client of the thief's choosing: admin commands allowed on the client side.
        var options = ConfigurationOptions.Parse(await _redis.CreateUserAsync(Acl.HostUser("real-1"), Acl.HostRules("real-1")));
        options.AllowAdmin = true;
        options.ChannelPrefix = RedisChannel.Literal("loadcluster:");
        await using var host = await ConnectionMultiplexer.ConnectAsync(options);
        var db = host.GetDatabase();
        var server = host.GetServer(host.GetEndPoints()[0]);
        await db.StringSetAsync("loadcluster:latest:real-1", "{}", TimeSpan.FromSeconds(30));
        await host.GetSubscriber().PublishAsync(RedisChannel.Literal("samples:real-1"), "{}");

        foreach (var attempt in new Func<Task>[]
        {
            () => host.GetSubscriber().PublishAsync(RedisChannel.Literal("samples:victim-1"), "{}"),
            () => host.GetSubscriber().PublishAsync(RedisChannel.Literal("LoadCluster.Turbo.TurboStreamsHub:all"), "x"),
            () => host.GetSubscriber().PublishAsync(RedisChannel.Literal("signout"), "0123456789abcdef0123456789abcdef"),
            () => host.GetSubscriber().SubscribeAsync(RedisChannel.Literal("samples:real-1")),
            () => db.ListRangeAsync("loadcluster:dataprotection-keys"),
            () => db.StringSetAsync("loadcluster:latest:victim-1", "{}"),
            () => db.SortedSetAddAsync("loadcluster:hosts", "real-1", 1),
            () => server.FlushAllDatabasesAsync(),
            () => server.ConfigSetAsync("maxmemory", "1"),
            () => server.ExecuteAsync("SHUTDOWN", "NOSAVE"),
            () => server.ExecuteAsync("KEYS", "*"),
        })
        {
            var refused = await Assert.ThrowsAnyAsync<RedisException>(attempt);
            Assert.Contains("NOPERM", refused.Message, StringComparison.Ordinal);
        }
        Assert.True(await _admin.GetDatabase().KeyExistsAsync("loadcluster:latest:real-1"));
        Assert.False(await _admin.GetDatabase().KeyExistsAsync("loadcluster:latest:victim-1"));
    }

    private async Task<string> DryRunAsync(string user, IReadOnlyList<string> rules, string command)
    {
        await _redis.CreateUserAsync(user, rules);
        var args = command.Split(' ');
        return (await Server.ExecuteAsync("ACL", ["DRYRUN", user, .. args])).ToString();
    }
}
