using System.Collections.Concurrent;

namespace LoadCluster.Web.Security;

/// <summary>
/// This replica's long-lived connections by sign-in session, so a sign-out can close them: a page
/// socket or event stream request lasts as long as its connection, and aborting its HttpContext drops it.
/// Invariant: a session key exists only while it has an open connection here.
/// </summary>
internal sealed class SessionConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Runs the rest of the pipeline with the request counted under its session (when it has one).</summary>
    public Task TrackAsync(HttpContext context, RequestDelegate next) =>
        // Every request passes here; only long-lived ones of a signed-in session pay for the tracking.
        ConnectionLimits.IsLongLived(context) && SignInClaims.SessionOf(context.User) is { } session
            ? TrackSessionAsync(context, next, session)
            : next(context);

    private async Task TrackSessionAsync(HttpContext context, RequestDelegate next, string session)
    {
        lock (_gate) _sessions.GetOrAdd(session, static _ => new())[context] = 0;
        try
        {
            await next(context);
        }
        finally
        {
            lock (_gate)
            {
                if (_sessions.TryGetValue(session, out var open) && open.TryRemove(context, out _) && open.IsEmpty) _sessions.TryRemove(session, out _);
            }
        }
    }

    /// <summary>Drops every connection of the session on this replica; returns how many.</summary>
    public int Close(string session)
    {
        if (!_sessions.TryGetValue(session, out var open)) return 0;
        var closed = 0;
        foreach (var context in open.Keys)
        {
            context.Abort();
            closed++;
        }
        return closed;
    }
}
