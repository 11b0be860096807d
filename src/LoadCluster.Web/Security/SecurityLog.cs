namespace LoadCluster.Web.Security;

/// <summary>Log lines of sign-in, limits and sign-out (event ids 4200–4299). No tokens, secrets or cookies.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(4201, LogLevel.Warning, "Refused a long-lived connection of {Client}: it already holds {Limit} on this replica ({Count} refused so far)")]
    public static partial void ClientLimitReached(ILogger logger, string client, int limit, long count);

    [LoggerMessage(4202, LogLevel.Warning, "Refused a long-lived connection: this replica holds its ceiling of {Limit} ({Count} refused so far)")]
    public static partial void ReplicaFull(ILogger logger, int limit, long count);

    [LoggerMessage(4203, LogLevel.Information, "Long-lived connections: at most {PerClient} per client, {Ceiling} on this replica ({Source})")]
    public static partial void Limits(ILogger logger, int perClient, int ceiling, string source);

    [LoggerMessage(4204, LogLevel.Information, "A session signed out; closed {Count} of its connections on this replica")]
    public static partial void SessionClosed(ILogger logger, int count);

    [LoggerMessage(4205, LogLevel.Warning, "Could not tell the other replicas about a sign-out (its connections there stay open until they drop): {Reason}")]
    public static partial void SignOutNotPublished(ILogger logger, string reason);

    [LoggerMessage(4206, LogLevel.Warning, "Cannot subscribe to sign-outs yet, retrying: {Reason}")]
    public static partial void SignOutSubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(4207, LogLevel.Warning, "Sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string reason);
}
