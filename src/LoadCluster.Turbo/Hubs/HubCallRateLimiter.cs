using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// Rate-limits calls a browser makes on <see cref="TurboStreamsHub"/>: a token bucket per connection
/// that refills at <see cref="TurboOptions.HubCallsPerSecond"/> and holds twice that, so a page that
/// subscribes to a few streams at once is never refused. Each subscribe verifies an HMAC and may read
/// a stream's state, so an unthrottled client could spend the server's CPU at will.
/// </summary>
internal sealed partial class HubCallRateLimiter(IOptions<TurboOptions> options, ILogger<HubCallRateLimiter> logger) : IHubFilter
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate = options.Value.HubCallsPerSecond;

    /// <summary>Connections with a bucket; back to zero when they have all gone.</summary>
    internal int ConnectionCount => _buckets.Count;

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        _buckets[context.Context.ConnectionId] = new TokenBucket(_rate);
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context, exception);
        }
        finally
        {
            _buckets.TryRemove(context.Context.ConnectionId, out _);
        }
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        var connectionId = invocationContext.Context.ConnectionId;
        // A call can only come from a connected connection, so the bucket is there; GetOrAdd covers a race with nothing.
        var bucket = _buckets.GetOrAdd(connectionId, _ => new TokenBucket(_rate));
        if (!bucket.TryTake(out var shouldLog))
        {
            // The method name is not logged: it is client-chosen text.
            if (shouldLog) LogRateLimited(logger, connectionId, _rate);
            throw new HubException($"rate limit: more than {_rate} hub calls per second on this connection; slow down.");
        }
        return next(invocationContext);
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Connection {ConnectionId} exceeded {Rate} hub calls per second; calls refused")]
    private static partial void LogRateLimited(ILogger logger, string connectionId, double rate);

    /// <summary>Tokens refill continuously at the rate, up to a burst of twice the rate.</summary>
    private sealed class TokenBucket(double rate)
    {
        private readonly Lock _lock = new();
        private readonly double _capacity = 2 * rate;
        private double _tokens = 2 * rate;
        private long _refilledAt = Stopwatch.GetTimestamp();
        private long _loggedAt = long.MinValue;

        public bool TryTake(out bool shouldLog)
        {
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(_capacity, _tokens + (now - _refilledAt) * rate / Stopwatch.Frequency);
                _refilledAt = now;
                shouldLog = false;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return true;
                }
                // At most one log line per connection per second, however hard it floods.
                if (_loggedAt == long.MinValue || now - _loggedAt >= Stopwatch.Frequency)
                {
                    _loggedAt = now;
                    shouldLog = true;
                }
                return false;
            }
        }
    }
}
