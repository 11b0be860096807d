using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Admin;

/// <summary>
/// The tool's settings, from the environment only (never the command line, where a password would
/// show in <c>ps</c> and the shell's history): the admin credential, the cluster's prefix, the CA.
/// </summary>
internal sealed record AdminSettings(ConfigurationOptions Admin, RedisNames Names, string? CaFile)
{
    /// <summary>
    /// StackExchange.Redis string of the admin user, naming every Redis node users live on (primary
    /// and replicas), or the sentinels with <c>serviceName=</c>: then the nodes are the ones they watch.
    /// </summary>
    public const string AdminSetting = "ConnectionStrings__redis_admin";

    public const string PrefixSetting = "LoadCluster__Prefix";

    public const string CaFileSetting = "LoadCluster__Redis__CaFile";

    public static AdminSettings FromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var value = env(AdminSetting);
        if (string.IsNullOrWhiteSpace(value))
            throw new AdminException($"{AdminSetting} is not set: set it in the environment (not on the command line) to the admin user's connection string naming every Redis node, " +
                $"e.g. {AdminSetting}='redis-1:6379,redis-2:6379,user=admin,password=…,ssl=true', or the sentinels, e.g. 'sentinel-1:26379,sentinel-2:26379,sentinel-3:26379,serviceName=loadcluster,user=admin,password=…,ssl=true'. " +
                "Only this tool holds it; hosts and web replicas get users of their own.", 2);
        ConfigurationOptions admin;
        try
        {
            admin = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new AdminException($"{AdminSetting} is not a valid StackExchange.Redis configuration string: {e.Message}", 2);
        }
        if (admin.EndPoints.Count == 0) throw new AdminException($"{AdminSetting} names no Redis node: expected e.g. 'redis-1:6379,user=admin,password=…'.", 2);
        var prefix = env(PrefixSetting) is { Length: > 0 } p ? p : RedisNames.DefaultPrefix;
        if (!RedisNames.IsValidPrefix(prefix)) throw new AdminException($"{PrefixSetting} '{prefix}' must be one or more of a-z, 0-9, ':', '_' or '-', as the services' is.", 2);
        var caFile = env(CaFileSetting) is { Length: > 0 } ca ? ca : null;
        if (caFile is not null)
        {
            if (!admin.Ssl) throw new AdminException($"{CaFileSetting} names a CA for TLS, but {AdminSetting} has no ssl=true: add it, or unset {CaFileSetting}.", 2);
            try
            {
                using var _ = X509CertificateLoader.LoadCertificateFromFile(caFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new AdminException($"{CaFileSetting} '{caFile}' is not a readable CA certificate (PEM or DER): {e.Message}", 2);
            }
            admin.TrustIssuer(caFile);
        }
        admin.AllowAdmin = true; // ACL, CONFIG GET aclfile, CLIENT KILL
        admin.AbortOnConnectFail = true;
        // An operator's one-off command: wait for a slow (TLS) handshake rather than fail at the 5 s default.
        admin.ConnectTimeout = Math.Max(admin.ConnectTimeout, 15_000);
        admin.TieBreaker = "";
        admin.ConfigurationChannel = "";
        return new AdminSettings(admin, new RedisNames(prefix), caFile);
    }
}
