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

    /// <summary>
    /// Registers the service's one <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c>
    /// with Aspire's <c>AddRedisClient</c> (logging, tracing) and health check "StackExchange.Redis"
    /// (<see cref="RedisHealthCheck"/>), and logs a lost and a restored connection once each. The
    /// service starts without Redis and reconnects by itself; given sentinels (<c>serviceName=</c>),
    /// it follows the primary they name through a failover.
    /// </summary>
    /// <param name="channelPrefix">
    /// Put before every pub/sub channel by the multiplexer, so that the SignalR backplane, which
    /// takes its prefix from the connection it is given, lives under the cluster's prefix too.
    /// </param>
    public static TBuilder AddClusterRedis<TBuilder>(this TBuilder builder, string connectionName, string channelPrefix) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(channelPrefix);
        CheckConnectionString(builder.Configuration.GetConnectionString(connectionName), connectionName);
        builder.AddRedisClient(connectionName, settings => settings.DisableHealthChecks = true, options =>
        {
            options.ChannelPrefix = RedisChannel.Literal(channelPrefix);
            // Live data: a command while Redis is away fails at once instead of queuing, so nothing
            // stale is delivered late and memory stays flat through an outage.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            // Reconnect attempts at most 2 s apart (the default backs off to 10 s), so delivery
            // resumes within a few seconds of Redis returning.
            options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 2000);
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name);
        builder.Services.AddHostedService<RedisConnectionLog>();
        // The client logs every reconnect attempt (an error and a dozen information lines each),
        // which buries everything else during an outage; RedisConnectionLog says it once. An
        // operator who wants the client's own lines sets Logging:LogLevel:StackExchange.Redis.
        if (builder.Configuration[$"Logging:LogLevel:{ClientLogCategory}"] is null) builder.Logging.AddFilter(ClientLogCategory, LogLevel.None);
        return builder;
    }

    // Aspire parses the string only when the connection is first made, with a message that does
    // not say which setting is wrong; check it here so start-up fails naming it.
    private static void CheckConnectionString(string? value, string connectionName)
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
    }
}
