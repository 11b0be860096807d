using System.Text;
using LoadCluster.Web.Relay;

namespace LoadCluster.Web.Api;

/// <summary>
/// <c>GET /api/samples/stream</c>: every sample this replica relays, as Server-Sent Events, so a
/// script can follow the fleet with <c>curl -N</c>.
/// </summary>
/// <remarks>Wire format: one event per sample, <c>data: {sample JSON on one line}\n\n</c>; a comment
/// line <c>: heartbeat</c> every 15 s keeps proxies from closing an idle stream.</remarks>
internal static class SampleStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    public static async Task RunAsync(HttpContext context, SampleFeed feed)
    {
        var ct = context.RequestAborted;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events through as they come
        using var subscription = feed.Subscribe();
        try
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(": LoadCluster samples, one JSON document per event\n\n"), ct);
            await response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(Heartbeat);
                try
                {
                    if (!await subscription.Reader.WaitToReadAsync(wait.Token)) return;
                    while (subscription.Reader.TryRead(out var json))
                    {
                        await response.Body.WriteAsync(DataPrefix, ct);
                        await response.Body.WriteAsync(json, ct);
                        await response.Body.WriteAsync(EventEnd, ct);
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(HeartbeatComment, ct);
                }
                await response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: a normal end.
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
        }
    }
}
