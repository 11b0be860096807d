using LoadCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>The one Redis connection each LoadCluster service shares, on Aspire's Redis client.</summary>
public static class RedisExtensions
{
    private const string ClientLogCategory = "StackExchange.Redis";

    /// <summary>PEM or DER file of the CA that signed the Redis server's TLS certificate, trusted for this connection only (env <c>LoadCluster__Redis__CaFile</c>).</summary>
    public const string CaFileSetting = "LoadCluster:Redis:CaFile";

    /// <summary>
    /// Commands StackExchange.Redis would send at connect to learn the topology, which no LoadCluster
    /// user may run (see RedisAcl in LoadCluster.Samples): the server's version and role come from
    /// HELLO instead, which every user may send (behind Sentinel, it checks the primary's role with
    /// ROLE unless ROLE is off). A single primary (or one behind Sentinel) is the only topology
    /// LoadCluster supports, as Redis Cluster does not spread classic pub/sub.
    /// </summary>
    private static readonly HashSet<string> TopologyCommands = ["INFO", "CONFIG", "CLUSTER", "ROLE"];

    /// <summary>
    /// Registers the service's one <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c>
    /// with Aspire's <c>AddRedisClient</c> (logging, tracing) and health check "StackExchange.Redis"
    /// (<see cref="RedisHealthCheck"/>), and logs a lost and a restored connection once each. The
    /// service starts without Redis and reconnects by itself; given sentinels (<c>serviceName=</c>),
    /// it follows the primary they name through a failover, and counts each (<see cref="RedisFailovers"/>).
    /// </summary>
    /// <param name="channelPrefix">
    /// Put before every pub/sub channel by the multiplexer, so that the SignalR backplane, which
    /// takes its prefix from the connection it is given, lives under the cluster's prefix too.
    /// </param>
    /// <param name="subscribes">Whether the service subscribes to channels (the web does; a collector only publishes).</param>
    public static TBuilder AddClusterRedis<TBuilder>(this TBuilder builder, string connectionName, string channelPrefix, bool subscribes = true) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(channelPrefix);
        var (ssl, sentinel) = CheckConnectionString(builder.Configuration.GetConnectionString(connectionName), connectionName);
        var caFile = CheckCaFile(builder.Configuration[CaFileSetting], ssl, connectionName);
        var hints = new RedisConnectionHints(connectionName, ssl);
        builder.AddRedisClient(connectionName, settings => settings.DisableHealthChecks = true, options =>
        {
            hints.Options = options;
            options.ChannelPrefix = RedisChannel.Literal(channelPrefix);
            AskOnlyWhatTheAclAllows(options, subscribes);
            if (caFile is not null) options.TrustIssuer(caFile);
            // Live data: a command while Redis is away fails at once instead of queuing, so nothing
            // stale is delivered late and memory stays flat through an outage.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            // Reconnect attempts at most 2 s apart (the default backs off to 10 s), so delivery
            // resumes within a few seconds of Redis returning.
            options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 2000);
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name);
        builder.Services.AddSingleton(hints);
        builder.Services.AddHostedService<RedisConnectionLog>();
        if (sentinel) builder.Services.AddHostedService<RedisFailovers>();
        // The client logs every reconnect attempt (an error and a dozen information lines each),
        // which buries everything else during an outage; RedisConnectionLog says it once. An
        // operator who wants the client's own lines sets Logging:LogLevel:StackExchange.Redis.
        if (builder.Configuration[$"Logging:LogLevel:{ClientLogCategory}"] is null) builder.Logging.AddFilter(ClientLogCategory, LogLevel.None);
        return builder;
    }

    /// <summary>
    /// Makes the connection send at connect only what a restricted Redis user may run (AUTH, HELLO,
    /// CLIENT SETNAME and ID, ECHO, PING), so a service on its own ACL user leaves no NOPERM in its
    /// log or in ACL LOG: no INFO, CONFIG, CLUSTER or ROLE (HELLO says version and role), no tie-breaker
    /// GET of a key outside its own, and no CLIENT SETINFO (Redis 7.0 has none). A service that
    /// never subscribes (a collector, whose user may not) also leaves out StackExchange.Redis's
    /// "master changed" subscription; one that subscribes keeps it, under the channel prefix its
    /// user may use: without it, StackExchange.Redis 3.4 was seen to lose the SignalR backplane's
    /// first subscription (a push to all reached no one; CrossReplicaTests).
    /// </summary>
    public static void AskOnlyWhatTheAclAllows(ConfigurationOptions options, bool subscribes)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.CommandMap = CommandMap.Create(TopologyCommands, available: false);
        options.TieBreaker = "";
        if (!subscribes) options.ConfigurationChannel = "";
        options.SetClientLibrary = false;
    }

    private static string? CheckCaFile(string? path, bool ssl, string connectionName)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        var setting = $"{CaFileSetting} (env {CaFileSetting.Replace(":", "__", StringComparison.Ordinal)})";
        if (!ssl)
            throw new InvalidOperationException($"{setting} names a CA for TLS, but ConnectionStrings:{connectionName} (env ConnectionStrings__{connectionName}) has no ssl=true: add ssl=true to it, or unset {CaFileSetting}.");
        try
        {
            using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{setting} '{path}' is not a readable CA certificate (PEM or DER): {e.Message}", e);
        }
        return path;
    }

    // Aspire parses the string only when the connection is first made, with a message that does
    // not say which setting is wrong; check it here so start-up fails naming it. Returns whether it
    // asks for TLS, and whether it names sentinels (a service name).
    private static (bool Ssl, bool Sentinel) CheckConnectionString(string? value, string connectionName)
    {
        var setting = $"ConnectionStrings:{connectionName} (env ConnectionStrings__{connectionName})";
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException($"{setting} is not set: set it to a StackExchange.Redis configuration string, e.g. '127.0.0.1:6379' or '10.0.0.5:6379,password=…'.");
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException e)
        {
            // Parse names the bad keyword, never the password.
            throw new InvalidOperationException($"{setting} is not a valid StackExchange.Redis configuration string: {e.Message}", e);
        }
        if (parsed.EndPoints.Count == 0)
            throw new InvalidOperationException($"{setting} names no Redis endpoint: expected e.g. '127.0.0.1:6379'.");
        return (parsed.Ssl, !string.IsNullOrEmpty(parsed.ServiceName));
    }
}
