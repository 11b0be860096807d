using System.Globalization;
using StackExchange.Redis;

namespace LoadCluster.Admin;

/// <summary>
/// What enrollment prints: an environment file, <c>KEY=value</c> lines with no quotes or spaces
/// in values, valid as a systemd EnvironmentFile, for <c>docker --env-file</c> and for
/// <c>kubectl create secret generic --from-env-file</c> (lines starting with '#' are comments in all three).
/// For a host it is <c>/etc/loadcluster/collector.env</c> and configures its collector fully:
/// its name, the prefix, the Redis endpoints with its own user and password (and TLS), the CA.
/// </summary>
internal static class EnvFile
{
    /// <summary>Where a host keeps the CA certificate when the cluster's Redis uses a private CA.</summary>
    public const string DefaultHostCaFile = "/etc/loadcluster/redis-ca.crt";

    public static string For(string title, IEnumerable<(string Key, string Value)> lines, DateTimeOffset at) =>
        $"# {title}, made {at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}. It holds a password: keep it readable by that service only (mode 0600).\n" +
        string.Concat(lines.Select(line => $"{line.Key}={line.Value}\n"));

    /// <summary>
    /// The service's connection string: the given endpoints (or the admin's: behind Sentinel, the
    /// sentinels and the service name), its user and password (on the sentinels too), and the
    /// admin's TLS settings; never the admin's user or anything else of its string.
    /// </summary>
    public static string ConnectionString(ConfigurationOptions admin, IReadOnlyList<string>? endpoints, string user, string password)
    {
        // Written by hand: ConfigurationOptions.ToString adds every option it holds, defaults included.
        var parts = new List<string>(endpoints ?? [.. admin.EndPoints.Select(RedisNodes.Name)]);
        if (!string.IsNullOrEmpty(admin.ServiceName)) parts.Add($"serviceName={admin.ServiceName}");
        parts.AddRange([$"user={user}", $"password={password}"]);
        if (admin.Ssl) parts.Add("ssl=true");
        if (!string.IsNullOrEmpty(admin.SslHost)) parts.Add($"sslHost={admin.SslHost}");
        return string.Join(',', parts);
    }
}
