using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>Turns the <c>ConnectionStrings:{name}</c> setting into StackExchange.Redis options.</summary>
public static class RedisConnectionFactory
{
    /// <summary>Used when the connection string does not say: short, so a service starts quickly without Redis.</summary>
    public const int DefaultConnectTimeoutMs = 2000;

    /// <summary>
    /// Reads and parses the connection string; throws with a message naming the setting when it is
    /// missing or malformed. The result never aborts on a failed connect: the multiplexer keeps
    /// retrying in the background, so services start (and keep running) while Redis is away.
    /// </summary>
    public static ConfigurationOptions ReadOptions(IConfiguration configuration, string connectionName = "redis")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var setting = $"ConnectionStrings:{connectionName}";
        var value = configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"{setting} is not set: set env ConnectionStrings__{connectionName} to a StackExchange.Redis configuration string, e.g. '127.0.0.1:6379' or '127.0.0.1:6379,password=secret'.");
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(value);
        }
        catch (ArgumentException e)
        {
            // The message of Parse names the bad keyword, never the password.
            throw new InvalidOperationException($"{setting} is not a valid StackExchange.Redis configuration string: {e.Message}", e);
        }
        if (options.EndPoints.Count == 0)
            throw new InvalidOperationException($"{setting} names no Redis endpoint: expected e.g. '127.0.0.1:6379'.");
        options.AbortOnConnectFail = false;
        if (!value.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
            options.ConnectTimeout = DefaultConnectTimeoutMs;
        return options;
    }
}
