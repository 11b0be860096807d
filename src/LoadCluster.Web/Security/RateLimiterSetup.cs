using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// The replica's ceiling is the global limiter (one concurrency limiter for every long-lived
/// connection, 503 beyond it); the per-client cap is the endpoints' policy (429). The global limiter
/// is asked first, so a full replica says so whoever asks.
/// </summary>
internal sealed class RateLimiterSetup(IOptions<ConnectionLimitOptions> limits, ILogger<RateLimiterSetup> logger) : IConfigureOptions<RateLimiterOptions>
{
    private long _refused;

    public void Configure(RateLimiterOptions options)
    {
        var settings = limits.Value;
        var ceiling = settings.EffectiveMaxConnections;
        SecurityLog.Limits(logger, settings.ConnectionsPerClient, ceiling, settings.MaxConnections > 0
            ? "LoadCluster__Limits__MaxConnections"
            : $"derived: {ConnectionLimitOptions.MemoryShareForConnections:P0} of {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024)} MB over {ConnectionLimitOptions.MeasuredBytesPerConnection / 1024} KB per connection");

        options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => ConnectionLimits.IsLongLived(context)
            ? RateLimitPartition.GetConcurrencyLimiter("replica", _ => new ConcurrencyLimiterOptions { PermitLimit = ceiling, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(""));
        options.OnRejected = (rejected, _) =>
        {
            // A flood would write a line per refusal: the first and every thousandth say it.
            var refused = Interlocked.Increment(ref _refused);
            if (refused == 1 || refused % 1000 == 0) SecurityLog.ReplicaFull(logger, ceiling, refused);
            return ConnectionLimits.RefuseAsync(rejected.HttpContext, StatusCodes.Status503ServiceUnavailable, settings.RetryAfter,
                $"This replica holds its ceiling of {ceiling} live connections; try again in a few seconds (another replica may take you).");
        };
        options.AddPolicy(ConnectionLimits.PolicyName, new ClientConnectionPolicy(settings, logger));
    }
}
