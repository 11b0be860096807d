using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LoadCluster.SignalR.Redis;

/// <summary>Registers the Redis backplane: <c>services.AddSignalR().AddRedisBackplane(redisConnectionString)</c>.</summary>
public static class RedisBackplaneExtensions
{
    /// <summary>Name of the health check the backplane registers (tagged "ready").</summary>
    public const string HealthCheckName = "redis-backplane";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> the backplane reports on.</summary>
    public const string MeterName = BackplaneMetrics.MeterName;

    /// <summary>Uses Redis pub/sub to reach the connections of every server.</summary>
    /// <param name="builder">The SignalR builder.</param>
    /// <param name="configuration">StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=...</c>.</param>
    public static ISignalRServerBuilder AddRedisBackplane(this ISignalRServerBuilder builder, string? configuration) =>
        builder.AddRedisBackplane(options => options.Configuration = configuration);

    /// <summary>
    /// Uses Redis pub/sub to reach the connections of every server. Also registers the health
    /// check <see cref="HealthCheckName"/> (unhealthy while the Redis link is down or silent) and
    /// the meter <see cref="MeterName"/>. Options are validated when the app starts.
    /// </summary>
    public static ISignalRServerBuilder AddRedisBackplane(this ISignalRServerBuilder builder, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisBackplaneOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisBackplaneOptions>, RedisBackplaneOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(RedisBackplaneConnection))) return builder; // registered once, options add up

        services.AddSingleton<RedisBackplaneConnection>();
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(RedisHubLifetimeManager<>));
        services.AddHostedService<RedisBackplaneStarter>();
        services.AddHealthChecks().AddCheck<RedisBackplaneHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }
}
