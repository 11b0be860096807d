using Microsoft.Extensions.Logging;

namespace LoadCluster.Collector;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Collecting {Host} every {IntervalMs} ms from {ProcPath}, publishing on {Channel}")]
    public static partial void Started(ILogger logger, string host, int intervalMs, string procPath, string channel);

    [LoggerMessage(2002, LogLevel.Critical, "Cannot start: {FilePath}: {Reason}. Set Collector:ProcPath (env Collector__ProcPath) to the folder holding the host's /proc files")]
    public static partial void ProcFileUnusable(ILogger logger, string filePath, string reason);

    [LoggerMessage(2003, LogLevel.Error, "Sampling failed, skipping samples until it works again: {FilePath}: {Reason}")]
    public static partial void SamplingFailed(ILogger logger, string filePath, string reason);

    [LoggerMessage(2004, LogLevel.Information, "Sampling works again")]
    public static partial void SamplingRecovered(ILogger logger);

    [LoggerMessage(2005, LogLevel.Warning, "Cannot publish samples to Redis ({Reason}); sampling goes on and samples are dropped until Redis is back")]
    public static partial void PublishingStopped(ILogger logger, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Publishing to Redis again; {Dropped} samples were dropped during the outage")]
    public static partial void PublishingResumed(ILogger logger, long dropped);

    [LoggerMessage(2007, LogLevel.Warning, "Cannot write the heartbeat file {FilePath} ({Reason}); a health check reading it will fail. Set Collector:HeartbeatFile (env Collector__HeartbeatFile) to a writable path, or empty")]
    public static partial void HeartbeatFailed(ILogger logger, string filePath, string reason);

    [LoggerMessage(2008, LogLevel.Information, "Asked for a traced sample (SIGUSR1): the next sample carries its trace to the web replicas")]
    public static partial void JourneyAsked(ILogger logger);

    [LoggerMessage(2009, LogLevel.Information, "Sample of {Host} sent with its trace: trace id {TraceId}")]
    public static partial void JourneyPublished(ILogger logger, string host, string traceId);
}
