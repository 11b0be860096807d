using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LoadCluster.Turbo;

/// <summary>
/// Serves one signed stream over a plain WebSocket for Turbo's own
/// <c>&lt;turbo-stream-source src="ws://host/turbo-stream/socket?stream=SIGNED"&gt;</c>: no SignalR
/// protocol, no per-connection hub state. Same signing, same current state first, same pushes as the hub
/// (to the stream, to the user, to all; from this node or through the backplane).
/// Wire format: after the HTTP/1.1 upgrade (RFC 6455, no extensions, no subprotocol) each push is one
/// text frame whose payload is the markup; an unsolicited pong every <see cref="TurboOptions.SocketHeartbeat"/>.
/// The browser sends nothing but control frames; a data frame from it closes the socket (1003).
/// </summary>
internal static class TurboSocketEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<ITurboStreamNameSigner>().TryVerify(context.Request.Query[EventStreamEndpoint.StreamQueryParameter].ToString(), out var stream))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"The '{EventStreamEndpoint.StreamQueryParameter}' query parameter must be a stream name signed by this application; render the page again to get one.", context.RequestAborted);
            return;
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || !HttpMethods.IsGet(context.Request.Method)
            || !context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || context.Request.Headers.SecWebSocketVersion.ToString() != "13" || key.Length != 24)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint takes WebSocket (version 13) upgrades only: use <turbo-stream-source src=\"ws://…\">.", context.RequestAborted);
            return;
        }

        var userId = services.GetRequiredService<IUserIdProvider>().GetUserId(
            new HubConnectionContext(new DefaultConnectionContext("turbo-socket-user") { User = context.User }, new HubConnectionContextOptions(), NullLoggerFactory.Instance));
        context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = WebSocketFrames.AcceptKey(key);
        var transport = await upgrade.UpgradeAsync();

        var sockets = services.GetRequiredService<TurboSockets>();
        var socket = new TurboSocket(transport, context);
        var relay = await sockets.JoinAsync(socket, stream, userId);
        try
        {
            // After joining, as in the hub, so nothing falls between state and pushes.
            if (services.GetService<ITurboStreamState>() is { } state
                && await state.GetCurrentAsync(stream, context.RequestAborted) is { Length: > 0 } current)
            {
                socket.Send(WebSocketFrames.TextFrame(current));
            }
            await socket.ReadUntilClosedAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser left while its state was being made.
        }
        finally
        {
            sockets.Leave(socket, relay);
        }
    }
}
