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
/// <c>--replicas 5 --port 9000 --redis local</c>, or from the environment): what a bad value is,
/// and how to fix it, is said in one line.
/// </summary>
internal sealed record ClusterArguments(int Replicas, int Port, RedisMode Redis, string? ExternalRedis)
{
    public const int DefaultReplicas = 3;
    public const int DefaultPort = 8080;
    public const int MaxReplicas = 64;

    public const string Usage =
        "usage: dotnet run --project src/LoadCluster.AppHost -- [--replicas N] [--port P] [--redis auto|container|local]";

    public static bool TryRead(IConfiguration configuration, out ClusterArguments arguments, out string error)
    {
        arguments = new ClusterArguments(DefaultReplicas, DefaultPort, RedisMode.Auto, null);
        if (!TryNumber(configuration, "replicas", DefaultReplicas, 1, MaxReplicas, out var replicas, out error)
            || !TryNumber(configuration, "port", DefaultPort, 1, 65535, out var port, out error))
            return false;
        var redisValue = configuration["redis"];
        var redis = RedisMode.Auto;
        if (!string.IsNullOrEmpty(redisValue) && !Enum.TryParse(redisValue, ignoreCase: true, out redis))
        {
            error = $"--redis must be auto, container or local (got '{redisValue}'). {Usage}";
            return false;
        }
        var external = configuration.GetConnectionString("redis");
        arguments = new ClusterArguments(replicas, port, redis, string.IsNullOrWhiteSpace(external) ? null : external);
        error = "";
        return true;
    }

    private static bool TryNumber(IConfiguration configuration, string name, int fallback, int min, int max, out int value, out string error)
    {
        var text = configuration[name];
        value = fallback;
        error = "";
        if (string.IsNullOrEmpty(text)) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        error = $"--{name} must be a whole number from {min} to {max} (got '{text}'). {Usage}";
        return false;
    }
}
