using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LoadCluster.AppHost;

/// <summary>Where Redis comes from (<c>--redis</c>).</summary>
internal enum RedisMode
{
    /// <summary>A container when a container runtime answers, else a local redis-server.</summary>
    Auto,
    Container,
    Local,
}

/// <summary>
/// The AppHost's own options, read from its configuration (so from the command line as
/// <c>--replicas 5 --port 9000 --redis local --simulate 1000</c>, or from the environment): what a
/// bad value is, and how to fix it, is said in one line. <c>Simulate</c> is null when the fleet
/// simulator is left off (it can still be started from the dashboard).
/// </summary>
internal sealed record ClusterArguments(int Replicas, int Port, RedisMode Redis, string? ExternalRedis, int? Simulate = null)
{
    public const int DefaultReplicas = 3;
    public const int DefaultPort = 8080;
    public const int MaxReplicas = 64;
    public const int DefaultSimulatedHosts = 1000;
    public const int MaxSimulatedHosts = 100_000;

    public const string Usage =
        "usage: dotnet run --project src/LoadCluster.AppHost -- [--replicas N] [--port P] [--redis auto|container|local] [--simulate HOSTS]";

    /// <exception cref="ClusterStartException">A value is bad; the message names the option, the rule and the value.</exception>
    public static ClusterArguments Read(IConfiguration configuration)
    {
        var replicas = Number(configuration, "replicas", DefaultReplicas, 1, MaxReplicas);
        var port = Number(configuration, "port", DefaultPort, 1, 65535);
        var redisValue = configuration["redis"];
        var redis = RedisMode.Auto;
        if (!string.IsNullOrEmpty(redisValue) && !Enum.TryParse(redisValue, ignoreCase: true, out redis))
            throw new ClusterStartException($"--redis must be auto, container or local (got '{redisValue}'). {Usage}");
        var external = configuration.GetConnectionString("redis");
        int? simulate = string.IsNullOrEmpty(configuration["simulate"]) ? null : Number(configuration, "simulate", DefaultSimulatedHosts, 1, MaxSimulatedHosts);
        return new ClusterArguments(replicas, port, redis, string.IsNullOrWhiteSpace(external) ? null : external, simulate);
    }

    private static int Number(IConfiguration configuration, string name, int fallback, int min, int max)
    {
        var text = configuration[name];
        if (string.IsNullOrEmpty(text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ClusterStartException($"--{name} must be a whole number from {min} to {max} (got '{text}'). {Usage}");
    }
}
