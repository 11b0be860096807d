using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// Serves one signed stream as <c>text/event-stream</c> for Turbo's own
/// <c>&lt;turbo-stream-source src="/turbo-stream/events?stream=SIGNED"&gt;</c>, for networks that
/// block WebSockets. Same signing, same current state first, same pushes as the hub.
/// Wire format: each push is one SSE "message" event whose data lines, joined with "\n" by the
/// browser, are the markup; a comment line every <see cref="TurboOptions.EventStreamHeartbeat"/> (15 s) keeps proxies from closing an idle response.
/// </summary>
internal static partial class EventStreamEndpoint
{
    internal const string StreamQueryParameter = "stream";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var signer = services.GetRequiredService<ITurboStreamNameSigner>();
        var options = services.GetRequiredService<IOptions<TurboOptions>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventStreamEndpoint));

        if (!signer.TryVerify(context.Request.Query[StreamQueryParameter].ToString(), out var stream))
        {
            // Not 200, so the browser's EventSource fails for good instead of retrying.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"The '{StreamQueryParameter}' query parameter must be a stream name signed by this application; render the page again to get one.", context.RequestAborted);
            return;
        }

        var manager = services.GetRequiredService<HubLifetimeManager<TurboStreamsHub>>();
        var local = services.GetRequiredService<LocalSubscriptions>();
        var json = services.GetRequiredService<IHubProtocolResolver>().GetProtocol("json", null)
            ?? throw new InvalidOperationException("The SignalR JSON hub protocol is not registered; the event stream needs it to read pushes from other nodes.");
        var connectionContext = new DefaultConnectionContext("sse-" + Guid.NewGuid().ToString("N")) { User = context.User };
        using var connection = new EventStreamConnection(connectionContext, json, services.GetRequiredService<ILoggerFactory>(), context.RequestAborted);
        connection.UserIdentifier = services.GetRequiredService<IUserIdProvider>().GetUserId(connection);

        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        await manager.OnConnectedAsync(connection);
        try
        {
            local.Add(connection.ConnectionId, stream, limit: 1);
            await manager.AddToGroupAsync(connection.ConnectionId, stream, connection.ConnectionAborted);
            // After joining, as in the hub, so nothing falls between state and pushes.
            if (services.GetService<ITurboStreamState>() is { } state
                && await state.GetCurrentAsync(stream, connection.ConnectionAborted) is { Length: > 0 } current)
            {
                await connection.WriteAsync(new InvocationMessage(TurboPush.ClientMethod, [current]), connection.ConnectionAborted);
            }
            await context.Response.WriteAsync(": connected\n\n", connection.ConnectionAborted);
            await context.Response.Body.FlushAsync(connection.ConnectionAborted);
            await PumpAsync(context.Response, connection.Queue, options.Value.EventStreamHeartbeat, connection.ConnectionAborted);
        }
        catch (OperationCanceledException) when (connection.ConnectionAborted.IsCancellationRequested)
        {
            // The browser went away, or the connection fell too far behind and was dropped.
        }
        catch (IOException e)
        {
            LogWriteFailed(logger, e);
        }
        finally
        {
            await manager.OnDisconnectedAsync(connection);
        }
    }

    private static async Task PumpAsync(HttpResponse response, ChannelReader<string> queue, TimeSpan heartbeat, CancellationToken aborted)
    {
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            wait.CancelAfter(heartbeat);
            bool more;
            try
            {
                more = await queue.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                await response.WriteAsync(": heartbeat\n\n", aborted);
                await response.Body.FlushAsync(aborted);
                continue;
            }
            if (!more) return;
            while (queue.TryRead(out var streams)) await response.WriteAsync(Format(streams), aborted);
            await response.Body.FlushAsync(aborted);
        }
    }

    /// <summary>One SSE event: each line of the markup on its own "data:" line, then a blank line.</summary>
    internal static string Format(string streams)
    {
        var sb = new StringBuilder(streams.Length + 16);
        foreach (var line in streams.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')) sb.Append("data: ").Append(line).Append('\n');
        return sb.Append('\n').ToString();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Event stream write failed; the client has gone")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
