using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using LoadCluster.Web.Board;

namespace LoadCluster.Web.Api;

/// <summary>
/// <c>GET /api/samples/stream</c>: every sample this replica relays, as Server-Sent Events written by
/// ASP.NET Core's own writer (as the pages' event streams are), so a script can follow the fleet
/// with <c>curl -N</c>.
/// </summary>
/// <remarks>Wire format: an event <c>connected</c> with no data first, then one message event per
/// sample, <c>data: {sample JSON on one line}</c>; an event <c>heartbeat</c> with no data after 15 s
/// without a sample, so proxies keep the response (a browser's EventSource dispatches neither).</remarks>
internal static class SampleStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly SseItem<string> Connected = new("", "connected");
    private static readonly SseItem<string> Idle = new("", "heartbeat");

    public static IResult Open(HttpContext context, SampleFeed feed)
    {
        context.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come
        return TypedResults.ServerSentEvents(EventsAsync(feed, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(SampleFeed feed, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = feed.Subscribe();
        yield return Connected;
        while (true)
        {
            bool? more;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(Heartbeat);
                try
                {
                    more = await subscription.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    more = null; // quiet for a heartbeat's time
                }
            }
            if (more is null)
            {
                yield return Idle;
                continue;
            }
            if (more is false) yield break;
            while (subscription.Reader.TryRead(out var json)) yield return new SseItem<string>(json);
        }
    }
}
