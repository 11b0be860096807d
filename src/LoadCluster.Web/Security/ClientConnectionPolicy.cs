using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LoadCluster.Web.Security;

/// <summary>
/// At most <see cref="ConnectionLimitOptions.ConnectionsPerClient"/> long-lived connections per
/// <see cref="ClientKey"/> on this replica; the next gets 429 with Retry-After. The rate limiter
/// drops a key's limiter once it has been idle, so memory follows the clients connected now.
/// </summary>
internal sealed class ClientConnectionPolicy(ConnectionLimitOptions settings, ILogger logger) : IRateLimiterPolicy<string>
{
    private long _refused;

    public Func<OnRejectedContext, CancellationToken, ValueTask> OnRejected => (rejected, _) =>
    {
        var client = ClientKey.Of(rejected.HttpContext);
        // A flood would write a line per refusal: the first and every thousandth say it.
        var refused = Interlocked.Increment(ref _refused);
        if (refused == 1 || refused % 1000 == 0) SecurityLog.ClientLimitReached(logger, client, settings.ConnectionsPerClient, refused);
        return ConnectionLimits.RefuseAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, settings.RetryAfter,
            $"Too many live connections: at most {settings.ConnectionsPerClient} at once per signed-in user, or per address when not signed in (pages, event streams and the sample stream together). Close one and try again.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter(ClientKey.Of(httpContext),
            _ => new ConcurrencyLimiterOptions { PermitLimit = settings.ConnectionsPerClient, QueueLimit = 0 });
}
