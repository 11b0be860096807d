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
    /// <summary>Turbo's own element; it opens a WebSocket for a ws: or wss: src, an EventSource otherwise.</summary>
    internal const string ElementName = "turbo-stream-source";

    /// <summary>Pinned in package.json too (a test keeps the two equal); used to build the CDN URL.</summary>
    internal const string TurboVersion = "8.0.23";

    // Subresource Integrity of that exact file (a test checks it against wwwroot/lib): a CDN that
    // serves anything else is refused by the browser instead of running it in the page.
    internal const string TurboIntegrity = "sha384-2ePXINFSJiSCWUJkjFJGYdr2kyM132s7uBi9k+JISp4P+AjN9DXn4H/1enWEHu36";

    internal const string StaticBase = "/_content/LoadCluster.Turbo";

    /// <summary>Ours, in wwwroot: keeps each stream element connected and shows its state.</summary>
    internal const string ScriptFile = "turbo-stream-sources.js";

    /// <summary>Turbo-Flask's <c>{{ turbo() }}</c>: Turbo, then our script (each needs the one before).</summary>
    internal static string Scripts(TurboOptions options, HttpContext? context)
    {
        var local = (context?.Request.PathBase.Value ?? "").TrimEnd('/') + StaticBase;
        var turbo = string.IsNullOrEmpty(options.CdnBaseUrl)
            ? Script($"{local}/lib/turbo.es2017-umd.js")
            : Script($"{options.CdnBaseUrl.TrimEnd('/')}/@hotwired/turbo@{TurboVersion}/dist/turbo.es2017-umd.js",
                $" integrity=\"{TurboIntegrity}\" crossorigin=\"anonymous\"");
        return turbo + Script($"{local}/{ScriptFile}"); // ours: never on a CDN
    }

    /// <summary>
    /// Turbo's element on the stream endpoint for one stream (the name must already be signed),
    /// carried also in <c>signed-stream-name</c> so a page's streams can be found whatever the
    /// framing; or, with no name, the page's own connection, which gets pushes to all and to its user.
    /// </summary>
    internal static string StreamFrom(string? signedStreamName, TurboTransport transport, TurboOptions options, HttpRequest? request)
    {
        if (string.IsNullOrEmpty(options.Route))
            throw new InvalidOperationException("<TurboStreamFrom> needs the stream endpoint, but Turbo:Route is empty (turned off); set it, e.g. to /turbo-stream.");
        var path = (request?.PathBase.Value ?? "").TrimEnd('/') + options.Route
            + (signedStreamName is null ? "" : "?stream=" + Uri.EscapeDataString(signedStreamName));
        var src = transport switch
        {
            TurboTransport.EventStream => path,
            // Turbo opens a WebSocket only for an absolute ws: or wss: URL, so the request's own host is written out.
            TurboTransport.WebSocket when request is not null => (request.IsHttps ? "wss://" : "ws://") + request.Host.Value + path,
            TurboTransport.WebSocket => throw new InvalidOperationException(
                "Transport=WebSocket renders the socket's absolute URL from the request: render <TurboStreamFrom> in a page request, or use Transport=EventStream."),
            _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "Transport must be WebSocket or EventStream."),
        };
        var name = signedStreamName is null ? "" : $" signed-stream-name=\"{Encode(signedStreamName)}\"";
        return $"<{ElementName} src=\"{Encode(src)}\"{name}></{ElementName}>";
    }

    /// <summary>The tag helpers' <c>transport</c> attribute: absent or "websocket", or "event-stream".</summary>
    internal static TurboTransport ParseTransport(string? transport) => transport?.ToUpperInvariant() switch
    {
        null or "" or "WEBSOCKET" => TurboTransport.WebSocket,
        "EVENT-STREAM" => TurboTransport.EventStream,
        // The attribute value is the page author's, not a client's: safe to quote back.
        _ => throw new InvalidOperationException($"transport=\"{transport}\" is not a transport: write transport=\"websocket\" (the default) or transport=\"event-stream\"."),
    };

    /// <summary>
    /// The library's services, or the error that says how to register them: without AddTurbo a page
    /// would render elements for an endpoint that is not there and never go live.
    /// </summary>
    internal static (TurboOptions Options, ITurboStreamNameSigner Signer) Services(IServiceProvider services) =>
        services.GetService(typeof(ITurboStreamNameSigner)) is ITurboStreamNameSigner signer
        && services.GetService(typeof(IOptions<TurboOptions>)) is IOptions<TurboOptions> options
            ? (options.Value, signer)
            : throw new InvalidOperationException(
                "The Turbo page helpers need the Turbo services: call builder.Services.AddTurbo() and app.MapTurbo() in Program.cs.");

    /// <summary>A helper's element, its stream name signed: none is the page's own connection, an empty one a mistake worth saying.</summary>
    internal static string StreamFrom(IServiceProvider services, string? stream, TurboTransport transport, HttpRequest? request, string usage)
    {
        var (options, signer) = Services(services);
        if (stream is not null && string.IsNullOrWhiteSpace(stream))
            throw new InvalidOperationException($"The stream name is empty: write {usage}, or leave the stream out for the page's own connection (pushes to all and to its user).");
        return StreamFrom(stream is null ? null : signer.Sign(stream), transport, options, request);
    }

    // defer keeps the order above and does not block parsing; data-turbo-track makes Turbo Drive do a
    // full reload when a visit lands on a page whose script versions differ (after a deploy).
    private static string Script(string src, string attributes = "") =>
        $"<script src=\"{Encode(src)}\"{attributes} defer data-turbo-track=\"reload\"></script>\n";

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
