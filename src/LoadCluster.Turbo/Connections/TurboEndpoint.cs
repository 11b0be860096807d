using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// The stream endpoint Turbo's own <c>&lt;turbo-stream-source src&gt;</c> connects to, one pipeline for
/// both of its framings: check the Origin (<see cref="TurboOrigin"/>) and the name in the query
/// parameter <c>stream</c>, signed by <see cref="ITurboStreamNameSigner"/> (a 403 before anything
/// else), join this node's relay for it, queue the stream's current state first, then write each
/// push as it comes (<see cref="TurboConnection"/>: one slow-client rule). A WebSocket upgrade is
/// served as a WebSocket (<see cref="WebSocketFraming"/>), any other GET as Server-Sent Events
/// (<see cref="EventStreamFraming"/>); each documents its wire format. Without <c>?stream=</c> it is
/// the page's own connection, which gets the pushes to all and to its user (no name to verify: it
/// carries nothing private). <see cref="TurboTelemetry"/> traces its start and counts it.
/// </summary>
internal static partial class TurboEndpoint
{
    internal const string StreamQueryParameter = "stream";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<TurboOptions>>().Value;
        if (!TurboOrigin.IsAllowed(context.Request, options))
        {
            await RefuseAsync(context, "Origin not allowed: add it to Turbo:AllowedOrigins to let pages from it connect.");
            return;
        }
        context.Items[HtmlTurboRenderer.LongLivedRequestKey] = true;
        string? stream = null;
        var verified = !context.Request.Query.TryGetValue(StreamQueryParameter, out var signed)
            || services.GetRequiredService<ITurboStreamNameSigner>().TryVerify(signed.ToString(), out stream);
        var session = TurboTelemetry.StartSession(stream);
        if (!verified)
        {
            session?.SetStatus(ActivityStatusCode.Error, "stream name not signed by this application").Dispose();
            await RefuseAsync(context, $"The '{StreamQueryParameter}' query parameter must be a stream name signed by this application; render the page again to get one.");
            return;
        }

        var relays = services.GetRequiredService<TurboRelays>();
        var connection = new TurboConnection(context, options, services.GetRequiredService<TimeProvider>());
        using var aborted = context.RequestAborted.UnsafeRegister(static c => ((TurboConnection)c!).Close(discard: true), connection);
        var socket = await WebSocketFraming.AcceptAsync(context);
        var transport = socket is null ? TurboTelemetry.ServerSentEvents : TurboTelemetry.WebSocket;
        session?.SetTag(TurboTelemetry.TransportTag, transport);
        var telemetry = services.GetRequiredService<TurboTelemetry>();
        var relay = await relays.JoinAsync(connection, stream, stream is null ? UserIdOf(context) : null);
        telemetry.Opened(transport);
        try
        {
            // After joining, so a change made meanwhile is a push queued before it or part of this state.
            if (stream is not null && services.GetService<ITurboStreamState>() is { } state
                && await state.GetCurrentAsync(stream, context.RequestAborted) is { Length: > 0 } current)
            {
                connection.Send(new TurboMessage(current));
            }
            session?.Dispose();
            await (socket is null ? EventStreamFraming.ServeAsync(context, connection) : WebSocketFraming.ServeAsync(socket, connection));
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The browser went away (or was dropped as a slow client).
        }
        finally
        {
            session?.Dispose();
            telemetry.Closed(transport, connection.DroppedBecause is not null);
            relays.Leave(connection, relay);
            if (connection.DroppedBecause is { } because)
                LogSlowClient(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TurboEndpoint)), stream ?? "(page)", because);
        }
    }

    // A 403, not a 200, so a browser's EventSource stops instead of retrying.
    private static Task RefuseAsync(HttpContext context, string why)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync(why, context.RequestAborted);
    }

    /// <summary>The page connection's user, as SignalR names users (<see cref="IUserIdProvider"/>).</summary>
    private static string? UserIdOf(HttpContext context) =>
        context.RequestServices.GetRequiredService<IUserIdProvider>().GetUserId(new HubConnectionContext(
            new DefaultConnectionContext("turbo-user") { User = context.User }, new HubConnectionContextOptions(), NullLoggerFactory.Instance));

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "A connection to stream {Stream} was dropped as a slow client: {Because}; its page reconnects and resyncs")]
    private static partial void LogSlowClient(ILogger logger, string stream, string because);
}
