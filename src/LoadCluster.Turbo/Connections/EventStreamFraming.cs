using System.Net.ServerSentEvents;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// A connection over Server-Sent Events, written by ASP.NET Core's own writer
/// (<c>TypedResults.ServerSentEvents</c>), for networks that block WebSockets. Wire format: an event
/// "connected" with no data at once (browsers dispatch no event without data; it opens the
/// EventSource now rather than at the first push), then one message event per push whose data
/// lines, joined with "\n" by the browser, are the markup; an event "heartbeat" with no data every
/// <see cref="TurboOptions.Heartbeat"/>.
/// </summary>
internal static class EventStreamFraming
{
    private static readonly SseItem<string> Connected = new("", "connected");
    private static readonly SseItem<string> Heartbeat = new("", "heartbeat");

    public static Task ServeAsync(HttpContext context, TurboConnection connection)
    {
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
        return TypedResults.ServerSentEvents(EventsAsync(connection)).ExecuteAsync(context);
    }

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(TurboConnection connection)
    {
        yield return Connected;
        while (await connection.NextAsync() is { } message)
            yield return ReferenceEquals(message, TurboMessage.Heartbeat) ? Heartbeat : new SseItem<string>(message.Markup);
    }
}
