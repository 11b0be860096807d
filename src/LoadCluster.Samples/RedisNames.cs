using Microsoft.Extensions.Configuration;

namespace LoadCluster.Samples;

/// <summary>
/// The one place that knows the Redis key and channel names. Every name starts with the prefix
/// (setting <c>LoadCluster:Prefix</c>, default <c>loadcluster</c>), so several clusters can share
/// one Redis. Channels: the services' Redis connection puts <see cref="ChannelPrefix"/> before
/// every channel by itself (the SignalR backplane's channels included), so code that publishes
/// or subscribes through it names channels without it: <see cref="Samples(string)"/>, <see cref="Probe"/>.
/// Each host publishes on a channel of its own and writes only keys of its own (<see cref="HostKeys"/>),
/// so a Redis ACL can say "this host only" (<see cref="RedisAcl"/> derives the rules from these names).
/// </summary>
public sealed class RedisNames
{
    public const string DefaultPrefix = "loadcluster";
    public const string PrefixSetting = "LoadCluster:Prefix";

    public RedisNames(string prefix = DefaultPrefix)
    {
        if (!IsValidPrefix(prefix))
            throw new ArgumentException($"{PrefixSetting} must be one or more of a-z, 0-9, ':', '_' or '-' (got '{prefix}'); set env LoadCluster__Prefix to e.g. 'loadcluster'.", nameof(prefix));
        Prefix = prefix;
    }

    /// <summary>Reads <c>LoadCluster:Prefix</c>; the default prefix when it is not set.</summary>
    public static RedisNames FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var prefix = configuration[PrefixSetting];
        return new RedisNames(string.IsNullOrEmpty(prefix) ? DefaultPrefix : prefix);
    }

    public string Prefix { get; }

    /// <summary>Put before every pub/sub channel by the services' Redis connection (<c>ConfigurationOptions.ChannelPrefix</c>).</summary>
    public string ChannelPrefix => $"{Prefix}:";

    /// <summary>
    /// The host's samples channel (JSON, see <see cref="Sample"/>), as named through the services' connection:
    /// <c>samples:{host}</c>. Only that host publishes there; a sample whose <c>host</c> differs is dropped.
    /// </summary>
    public static string Samples(string host) => SamplesPrefix + CheckHost(host);

    /// <summary>The pattern the web replicas PSUBSCRIBE to (through the services' connection): every host's samples channel.</summary>
    public const string SamplesPattern = SamplesPrefix + "*";

    private const string SamplesPrefix = "samples:";

    /// <summary>The host's samples channel as Redis and outside tools see it (<c>loadcluster:samples:web-1</c>): the contract for other publishers.</summary>
    public string SamplesChannel(string host) => ChannelPrefix + Samples(host);

    /// <summary>Every host's samples channel as Redis sees it (<c>loadcluster:samples:*</c>), for PSUBSCRIBE.</summary>
    public string SamplesChannelPattern => ChannelPrefix + SamplesPattern;

    /// <summary>
    /// The host a samples channel belongs to, from the channel as the services' connection hands it
    /// over (<c>samples:web-1</c>); null when it is not a host's samples channel.
    /// </summary>
    public static string? HostOfSamples(string? channel) =>
        channel is not null && channel.StartsWith(SamplesPrefix, StringComparison.Ordinal) && HostName.IsValid(channel[SamplesPrefix.Length..])
            ? channel[SamplesPrefix.Length..]
            : null;

    /// <summary>Channel on which a replica announces a sign-out (the session id) so every replica closes that session's connections (through the services' connection).</summary>
    public const string SignOut = "signout";

    /// <summary>List key: the web replicas' ASP.NET Core data-protection key ring (cookies issued by one replica are read by all).</summary>
    public string DataProtectionKeys => $"{Prefix}:dataprotection-keys";

    /// <summary>Channel on which a replica publishes probes to itself, to tell a silent subscription link (through the services' connection).</summary>
    public static string Probe(string replica) => $"probe:{CheckHost(replica)}";

    /// <summary>String key: the host's latest sample JSON; expires when the host goes silent.</summary>
    public string Latest(string host) => $"{Prefix}:latest:{CheckHost(host)}";

    /// <summary>
    /// String key: the host's recent history at full rate, a ring of <see cref="HistoryPoint"/> records
    /// (16 bytes each, written in place with SETRANGE, one slot per sample), expiring after the history kept.
    /// Replaces the list of sample JSONs at <c>history:{host}</c> (ten times the size), which is no longer
    /// read or written: left over in a Redis, it expires on its own TTL.
    /// </summary>
    public string Recent(string host) => $"{Prefix}:points:{CheckHost(host)}";

    /// <summary>
    /// String key: the host's downsampled history at one <see cref="RollupLevel"/>, a ring of
    /// <see cref="HistoryPoint"/> records with one slot per bucket (the bucket's number modulo the
    /// level's points), expiring after the level's span. Replaces the text lists at <c>history1h:</c>
    /// and <c>history24h:</c>, left to expire.
    /// </summary>
    public string Rollup(string host, RollupLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return $"{Prefix}:points{level.Name}:{CheckHost(host)}";
    }

    /// <summary>
    /// Every key a host writes, and no other: what its collector keeps and what its Redis user may
    /// write (<see cref="RedisAcl.HostRules"/>). A new per-host key belongs here, or its host cannot write it.
    /// </summary>
    public IEnumerable<string> HostKeys(string host)
    {
        yield return Latest(host);
        yield return Recent(host);
        foreach (var level in RollupLevel.All) yield return Rollup(host, level);
        yield return Collector(host);
    }

    /// <summary>Sorted set: host name scored by its last sample time (Unix ms); written by the web replicas, never by hosts.</summary>
    public string Hosts => $"{Prefix}:hosts";

    /// <summary>String key: the host's collector record (<see cref="CollectorInfo"/> JSON), with a time to live.</summary>
    public string Collector(string host) => $"{Prefix}:collector:{CheckHost(host)}";

    /// <summary>String key: one web replica's own record, with a time to live (content is the Web's).</summary>
    public string Replica(string id) => $"{Prefix}:replica:{CheckHost(id)}";

    /// <summary>Sorted set: web replica id scored by its last heartbeat (Unix ms).</summary>
    public string Replicas => $"{Prefix}:replicas";

    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return false;
        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is ':' or '_' or '-')) return false;
        }
        return true;
    }

    // A name from the wire must never be able to address another key (e.g. "a:history:b").
    private static string CheckHost(string host) =>
        HostName.IsValid(host) ? host : throw new ArgumentException($"'{host}' is not a valid name: must be {HostName.Rule}.", nameof(host));
}
