namespace LoadCluster.Web;

/// <summary>The board's and the live streams' log lines, with stable event ids (never reuse one).</summary>
internal static partial class WebLog
{
    [LoggerMessage(4001, LogLevel.Information, "Relaying samples from Redis channel {Channel}")]
    public static partial void Subscribed(ILogger logger, string channel);

    [LoggerMessage(4002, LogLevel.Warning, "Cannot subscribe to Redis channel {Channel} yet, retrying: {Reason}")]
    public static partial void SubscribeFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Dropped a malformed sample ({Count} so far): {Reason}")]
    public static partial void Malformed(ILogger logger, long count, string reason);

    [LoggerMessage(4004, LogLevel.Warning, "The relay fell behind: dropped the oldest queued sample ({Count} so far)")]
    public static partial void Dropped(ILogger logger, long count);

    [LoggerMessage(4005, LogLevel.Error, "Relaying a sample of host {Host} failed; the relay goes on")]
    public static partial void RelayFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(4006, LogLevel.Error, "Checking host states failed; retrying on the next tick")]
    public static partial void WatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(4007, LogLevel.Information, "Loaded {Count} hosts from Redis")]
    public static partial void Loaded(ILogger logger, int count);

    [LoggerMessage(4008, LogLevel.Warning, "Cannot load hosts from Redis yet, retrying: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string reason);

    [LoggerMessage(4009, LogLevel.Warning, "Skipped a stored sample of {Key}: {Reason}")]
    public static partial void StoredSampleInvalid(ILogger logger, string key, string reason);

    [LoggerMessage(4010, LogLevel.Warning, "Cannot update the cluster registry in Redis: {Reason}")]
    public static partial void RegistryFailed(ILogger logger, string reason);

    [LoggerMessage(4012, LogLevel.Error, "Pushing to stream {Stream} failed; its next push sends all it shows")]
    public static partial void PushFailed(ILogger logger, string stream, Exception exception);

    [LoggerMessage(4014, LogLevel.Warning, "Dropped a sample of host {Host} published on the samples channel of {ChannelHost}: a host may only report itself ({Count} such samples so far; logged once per channel)")]
    public static partial void Impostor(ILogger logger, string host, string channelHost, long count);

    [LoggerMessage(4013, LogLevel.Warning, "Cannot read the long history of {Host} from Redis: {Reason}")]
    public static partial void LongHistoryFailed(ILogger logger, string host, string reason);
}
