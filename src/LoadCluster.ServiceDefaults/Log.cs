using Microsoft.Extensions.Logging;

namespace LoadCluster.ServiceDefaults;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Redis connection to {Endpoint} lost ({Reason}); retrying in the background")]
    public static partial void RedisConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1002, LogLevel.Information, "Redis connection to {Endpoint} restored")]
    public static partial void RedisConnectionRestored(ILogger logger, string endpoint);

    [LoggerMessage(1003, LogLevel.Error, "Redis at {Endpoint} refuses this service's connection: {Hint}")]
    public static partial void RedisRefused(ILogger logger, string endpoint, string hint);

    [LoggerMessage(1004, LogLevel.Warning, "Redis primary changed from {Previous} to {Primary} (failover)")]
    public static partial void RedisFailover(ILogger logger, string previous, string primary);
}
