using Microsoft.Extensions.Logging;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>All backplane log lines, with stable event ids. Never log a configuration string: it may hold a password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Redis backplane connecting to {Endpoints} as server {ServerName}.")]
    public static partial void Connecting(ILogger logger, string endpoints, string serverName);

    [LoggerMessage(2, LogLevel.Information, "Redis backplane connected to {Endpoints}.")]
    public static partial void Connected(ILogger logger, string endpoints);

    [LoggerMessage(3, LogLevel.Error, "Redis backplane cannot reach {Endpoints} yet; it keeps trying. Sends to other servers fail until then.")]
    public static partial void NotConnectedAtStart(ILogger logger, string endpoints);

    [LoggerMessage(4, LogLevel.Error, "Redis backplane lost its {ConnectionType} link to {Endpoint} ({FailureType}).")]
    public static partial void ConnectionFailed(ILogger logger, string connectionType, string? endpoint, string failureType, Exception? exception);

    [LoggerMessage(5, LogLevel.Information, "Redis backplane {ConnectionType} link to {Endpoint} restored.")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string? endpoint);

    [LoggerMessage(6, LogLevel.Error, "Redis backplane could not publish on {Channel}; the message did not reach other servers and is not retried ({Suppressed} more failed publishes since the previous line).")]
    public static partial void PublishFailed(ILogger logger, string channel, int suppressed, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Redis backplane could not subscribe to {Channel} now; it is subscribed again when the link recovers.")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Redis backplane could not unsubscribe from {Channel}.")]
    public static partial void UnsubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(9, LogLevel.Error, "Redis backplane dropped a message on {Channel} that does not decode.")]
    public static partial void DecodeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Redis backplane could not write to connection {ConnectionId}.")]
    public static partial void WriteFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Redis backplane subscriber link looks connected but its probe has not come back for {Silence}; repairing it ({Repair}).")]
    public static partial void ProbeSilent(ILogger logger, TimeSpan silence, string repair);

    [LoggerMessage(12, LogLevel.Information, "Redis backplane subscriber link carries probes again.")]
    public static partial void ProbeRecovered(ILogger logger);

    [LoggerMessage(13, LogLevel.Warning, "Redis backplane repair failed; it is tried again on the next probe.")]
    public static partial void RepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Error, "Redis backplane failed to handle a message on {Channel}.")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(16, LogLevel.Error, "Redis backplane could not create its connection to {Endpoints}; it tries again on the next use.")]
    public static partial void ConnectFailed(ILogger logger, string endpoints, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Redis backplane could not acknowledge group command {Id} to server {Origin}.")]
    public static partial void AckFailed(ILogger logger, int id, string origin, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "Redis backplane receive queue is full ({Capacity} messages; this server's connections are not keeping up): dropped the oldest waiting message, received on {Channel} ({Suppressed} more dropped since the previous line).")]
    public static partial void ReceiveQueueOverflow(ILogger logger, int capacity, string channel, int suppressed);
}
