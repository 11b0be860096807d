using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// The one place that writes the page helpers' markup; the Razor components and the tag helpers
/// both delegate here, so the two forms cannot drift apart.
/// </summary>
internal static class TurboPageMarkup
{
    /// <summary>The custom element defined by wwwroot/turbo-signalr.js.</summary>
    internal const string StreamElementName = "turbo-signalr-stream-source";

    /// <summary>The meta tag turbo-signalr.js reads the hub URL from.</summary>
    internal const string HubUrlMetaName = "turbo-signalr-url";

    /// <summary>Pinned in package.json too (a test keeps the two equal); used to build CDN URLs.</summary>
    internal const string TurboVersion = "8.0.23";
    internal const string SignalRVersion = "10.0.11";

    // Subresource Integrity of those exact files (a test checks them against wwwroot/lib): a CDN
    // that serves anything else is refused by the browser instead of running it in the page.
    internal const string TurboIntegrity = "sha384-2ePXINFSJiSCWUJkjFJGYdr2kyM132s7uBi9k+JISp4P+AjN9DXn4H/1enWEHu36";
    internal const string SignalRIntegrity = "sha384-N+pL/4qXZHZcvsa6hVMd5/7cdF3lC59ZMNHeQyRo5q9jmC7yw0hcJILPjUDSU7ZS";

    private const string StaticBase = "/_content/LoadCluster.Turbo";

    /// <summary>The meta tag that says who the page was rendered for (see <see cref="UserMarker"/>).</summary>
    internal const string UserMetaName = "turbo-signalr-user";

    /// <summary>
    /// Turbo-Flask's <c>{{ turbo() }}</c>: the hub URL meta tag (when the hub is on), the user meta
    /// tag (when rendered in a request), and the scripts for the SignalR client, Turbo and our client
    /// element, in that order (each needs the one before).
    /// </summary>
    internal static string Scripts(TurboOptions options, HttpContext? context)
    {
        var pathBase = (context?.Request.PathBase.Value ?? "").TrimEnd('/');
        var local = pathBase + StaticBase;
        var cdn = string.IsNullOrEmpty(options.CdnBaseUrl) ? null : options.CdnBaseUrl.TrimEnd('/');
        var html = new StringBuilder();
        if (!string.IsNullOrEmpty(options.WebSocketRoute))
        {
            AppendMeta(html, HubUrlMetaName, pathBase + options.WebSocketRoute);
            if (context is not null) AppendMeta(html, UserMetaName, UserMarker(context.User));
        }
        if (cdn is null)
        {
            AppendScript(html, $"{local}/lib/signalr.min.js");
            AppendScript(html, $"{local}/lib/turbo.es2017-umd.js");
        }
        else
        {
            AppendScript(html, $"{cdn}/@microsoft/signalr@{SignalRVersion}/dist/browser/signalr.min.js", SignalRIntegrity);
            AppendScript(html, $"{cdn}/@hotwired/turbo@{TurboVersion}/dist/turbo.es2017-umd.js", TurboIntegrity);
        }
        AppendScript(html, $"{local}/turbo-signalr.js"); // ours: never on a CDN
        return html.ToString();
    }

    /// <summary>
    /// A connection's user is fixed when it opens, but a Drive visit keeps the connection: after a
    /// sign-in answered with a redirect the page would stay connected as nobody and miss its user
    /// pushes. The client compares this marker after each visit and reconnects when it changed.
    /// It is a hash of the claims SignalR's user ids are made from (NameIdentifier by default, or
    /// the name), so the page does not spell out the id; "" for an anonymous user.
    /// </summary>
    internal static string UserMarker(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return "";
        var who = user.FindFirst(ClaimTypes.NameIdentifier)?.Value + "\n" + user.Identity.Name;
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(who)).AsSpan(0, 16));
    }

    /// <summary>Turbo's own element; it opens an EventSource on its src.</summary>
    internal const string EventStreamElementName = "turbo-stream-source";

    /// <summary>
    /// The subscription element for one stream; the name must already be signed. Either element
    /// carries the signed name in <c>signed-stream-name</c>, so a page's subscriptions can be found
    /// the same way whatever the transport.
    /// </summary>
    internal static string StreamFrom(string signedStreamName, TurboTransport transport, TurboOptions options, HttpRequest? request)
    {
        var signed = Encode(signedStreamName);
        var pathBase = (request?.PathBase.Value ?? "").TrimEnd('/');
        var query = "?stream=" + Uri.EscapeDataString(signedStreamName);
        string src;
        switch (transport)
        {
            case TurboTransport.SignalR:
                return $"<{StreamElementName} signed-stream-name=\"{signed}\"></{StreamElementName}>";
            case TurboTransport.EventStream:
                if (string.IsNullOrEmpty(options.EventStreamRoute))
                    throw new InvalidOperationException(
                        "Transport=EventStream needs the event stream endpoint, but Turbo:EventStreamRoute is empty (turned off); set it, e.g. to /turbo-stream/events, or use the default transport.");
                src = pathBase + options.EventStreamRoute + query;
                break;
            case TurboTransport.WebSocket:
                if (string.IsNullOrEmpty(options.SocketRoute))
                    throw new InvalidOperationException(
                        "Transport=WebSocket needs the socket endpoint, but Turbo:SocketRoute is empty (turned off); set it, e.g. to /turbo-stream/socket, or use the default transport.");
                // Turbo opens a WebSocket only for an absolute ws: or wss: URL, so the request's own host is written out.
                if (request is null)
                    throw new InvalidOperationException("Transport=WebSocket renders the socket's absolute URL from the request: render <TurboStreamFrom> in a page request, or use the default transport.");
                src = (request.IsHttps ? "wss://" : "ws://") + request.Host.Value + pathBase + options.SocketRoute + query;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(transport), transport, "Transport must be SignalR, EventStream or WebSocket.");
        }
        return $"<{EventStreamElementName} src=\"{Encode(src)}\" signed-stream-name=\"{signed}\"></{EventStreamElementName}>";
    }

    /// <summary>The tag helpers' <c>transport</c> attribute: absent or "signalr", "event-stream" or "websocket".</summary>
    internal static TurboTransport ParseTransport(string? transport) => transport?.ToUpperInvariant() switch
    {
        null or "" or "SIGNALR" => TurboTransport.SignalR,
        "EVENT-STREAM" => TurboTransport.EventStream,
        "WEBSOCKET" => TurboTransport.WebSocket,
        // The attribute value is the page author's, not a client's: safe to quote back.
        _ => throw new InvalidOperationException($"transport=\"{transport}\" is not a transport: write transport=\"signalr\" (the default), transport=\"event-stream\" or transport=\"websocket\"."),
    };

    /// <summary>
    /// The library's services, or the error that says how to register them: without AddTurbo a page
    /// would render scripts for a hub that is not there and stay "reconnecting" for ever.
    /// </summary>
    internal static (TurboOptions Options, ITurboStreamNameSigner Signer) Services(IServiceProvider services) =>
        services.GetService(typeof(ITurboStreamNameSigner)) is ITurboStreamNameSigner signer
        && services.GetService(typeof(IOptions<TurboOptions>)) is IOptions<TurboOptions> options
            ? (options.Value, signer)
            : throw new InvalidOperationException(
                "The Turbo page helpers need the Turbo services: call builder.Services.AddTurbo() and app.MapTurbo() in Program.cs.");

    /// <summary>Throws the error a page author needs when a helper is used without a stream name.</summary>
    internal static string RequireStream(string? stream, string usage) =>
        string.IsNullOrWhiteSpace(stream)
            ? throw new InvalidOperationException($"A stream name is required: write {usage}.")
            : stream;

    // defer keeps the order above and does not block parsing; data-turbo-track makes Turbo Drive do a
    // full reload when a visit lands on a page whose script versions differ (after a deploy).
    private static void AppendMeta(StringBuilder html, string name, string content) =>
        html.Append("<meta name=\"").Append(name).Append("\" content=\"").Append(Encode(content)).Append("\">\n");

    private static void AppendScript(StringBuilder html, string src, string? integrity = null)
    {
        html.Append("<script src=\"").Append(Encode(src)).Append('"');
        if (integrity is not null) html.Append(" integrity=\"").Append(integrity).Append("\" crossorigin=\"anonymous\"");
        html.Append(" defer data-turbo-track=\"reload\"></script>\n");
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
