namespace LoadCluster.Samples;

/// <summary>
/// The Redis users of a cluster and their ACL rules, derived from <see cref="RedisNames"/> (the one
/// place that knows names), so a change of key layout changes what each user may do with it.
/// Allow-lists only: every user starts from <c>-@all</c>, no keys and no channels, and gets the
/// commands its service sends (those StackExchange.Redis sends at connect with ServiceDefaults'
/// options included) on the keys and channels it owns. Dangerous commands (FLUSHALL, CONFIG, KEYS,
/// SCAN, MONITOR, CLIENT KILL, ACL, SCRIPT, EVAL, SHUTDOWN, DEBUG, MODULE ...) are in no list.
/// </summary>
/// <remarks>
/// User names: <c>{prefix}.host.{host}</c> and <c>{prefix}.web</c>. The prefix never contains a dot,
/// so the first dot ends it and two clusters sharing one Redis never share a user. Host names are
/// letters, digits, '.', '_' and '-' (<see cref="HostName"/>): no glob character and no ':', so a
/// host's key and channel patterns are exact names that match no other host's ("a" never matches "ab" or "a:b").
/// </remarks>
public sealed class RedisAcl(RedisNames names)
{
    /// <summary>What StackExchange.Redis sends on every connection with the options ServiceDefaults sets (see RedisExtensions).</summary>
    private static readonly string[] Handshake = ["auth", "hello", "client|setname", "client|id", "ping", "echo"];

    /// <summary>The collector's writes (SampleWrites): a key with a TTL, a record in a ring, an expiry, the publish.</summary>
    private static readonly string[] HostCommands = ["set", "setex", "psetex", "setrange", "expire", "pexpire", "publish"];

    /// <summary>The web replicas' reads and writes: board, registry, hosts index, key ring, backplane, relay, probes, sign-out.</summary>
    private static readonly string[] WebCommands =
    [
        "get", "mget", "set", "setex", "psetex", "lrange", "rpush", "zadd", "zrange", "zrangebyscore", "zremrangebyscore",
        "expire", "pexpire", "publish", "subscribe", "unsubscribe", "psubscribe", "punsubscribe",
    ];

    /// <summary>
    /// What StackExchange.Redis asks a sentinel, following the primary through <c>serviceName=</c>
    /// (seen in the sentinels' ACL LOG through connects and failovers): the handshake (a sentinel
    /// knows no ECHO), INFO, the primary, the replicas and the other sentinels, and its events.
    /// </summary>
    private static readonly string[] SentinelCommands =
        ["auth", "hello", "client|setname", "client|id", "ping", "info", "sentinel|get-master-addr-by-name", "sentinel|masters", "sentinel|replicas", "sentinel|sentinels", "subscribe", "unsubscribe"];

    private const string HostUserInfix = ".host.";

    public RedisNames Names { get; } = names ?? throw new ArgumentNullException(nameof(names));

    /// <summary>The Redis user of one host: <c>loadcluster.host.web-17</c>.</summary>
    public string HostUser(string host) =>
        HostName.IsValid(host) ? Names.Prefix + HostUserInfix + host : throw new ArgumentException($"'{host}' is not a valid host name: must be {HostName.Rule}.", nameof(host));

    /// <summary>The Redis user every web replica shares: <c>loadcluster.web</c>.</summary>
    public string WebUser => Names.Prefix + ".web";

    /// <summary>The host a user name belongs to in this cluster; null when it is not one of its host users.</summary>
    public string? HostOfUser(string? user)
    {
        var start = Names.Prefix + HostUserInfix;
        return user is not null && user.StartsWith(start, StringComparison.Ordinal) && HostName.IsValid(user[start.Length..]) ? user[start.Length..] : null;
    }

    /// <summary>
    /// A host's rules: write (never read) its own keys, publish on its own samples channel, and the
    /// handshake; nothing else. Passwords and on/off are the enrollment tool's.
    /// </summary>
    public IReadOnlyList<string> HostRules(string host) =>
    [
        "resetkeys", .. Names.HostKeys(host).Select(key => "%W~" + key),
        "resetchannels", "&" + Names.SamplesChannel(host),
        "-@all", .. Handshake.Concat(HostCommands).Select(command => "+" + command),
    ];

    /// <summary>
    /// Every service user's rules on a sentinel, where it has the same name and password as on the
    /// data nodes: read where the primary is and hear of a failover; no SENTINEL SET, FAILOVER,
    /// RESET, REMOVE or MONITOR, no ACL, no CONFIG. A sentinel's channels carry only its events.
    /// </summary>
    public static IReadOnlyList<string> SentinelRules { get; } =
        ["resetkeys", "resetchannels", "&*", "-@all", .. SentinelCommands.Select(command => "+" + command)];

    /// <summary>
    /// The web replicas' rules: every key and channel under the prefix (they hold the backplane, the
    /// key ring and the board), the samples pattern literally (PSUBSCRIBE checks the pattern itself,
    /// not what it matches), and the commands they send; no admin or keyless dangerous command.
    /// </summary>
    public IReadOnlyList<string> WebRules =>
    [
        "resetkeys", $"~{Names.Prefix}:*",
        "resetchannels", $"&{Names.ChannelPrefix}*", "&" + Names.SamplesChannelPattern,
        "-@all", .. Handshake.Concat(WebCommands).Select(command => "+" + command),
    ];
}
