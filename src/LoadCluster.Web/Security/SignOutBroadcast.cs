using LoadCluster.Samples;
using LoadCluster.Web.Redis;
using StackExchange.Redis;

namespace LoadCluster.Web.Security;

/// <summary>
/// Tells every replica that a sign-in session ended, so each closes that session's connections.
/// Wire format: channel <c>{prefix}:signout</c>, the message is the session id (32 hex digits).
/// The replica that signs out closes its own at once, so a sign-out works here while Redis is away.
/// </summary>
internal sealed class SignOutBroadcast(IConnectionMultiplexer redis, SessionConnections sessions, TimeProvider time, ILogger<SignOutBroadcast> logger)
    : BackgroundService
{
    private readonly RedisChannel _channel = RedisChannel.Literal(RedisNames.SignOut);

    public static string NewSessionId() => Guid.NewGuid().ToString("N");

    public async Task SignOutAsync(string session)
    {
        Closed(session);
        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, session);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            SecurityLog.SignOutNotPublished(logger, e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested) return;
        try
        {
            await redis.SubscribeWhenConnectedAsync(_channel, message => Received(message.Message), time,
                failed: reason => SecurityLog.SignOutSubscribeFailed(logger, reason), notConnected: null, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped before Redis answered.
        }
    }

    private void Received(RedisValue message)
    {
        var session = (string?)message;
        // Only what NewSessionId makes; anything else on the channel is not ours to act on.
        if (session is { Length: 32 } && session.All(char.IsAsciiHexDigitLower)) Closed(session);
    }

    private void Closed(string session)
    {
        var count = sessions.Close(session);
        if (count > 0) SecurityLog.SessionClosed(logger, count);
    }
}
