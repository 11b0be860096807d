using System.Text;
using System.Text.Encodings.Web;

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

    private const string StaticBase = "/_content/LoadCluster.Turbo";

    /// <summary>
    /// Turbo-Flask's <c>{{ turbo() }}</c>: the hub URL meta tag (when the hub is on) and the scripts for
    /// the SignalR client, Turbo and our client element, in that order (each needs the one before).
    /// </summary>
    internal static string Scripts(TurboOptions options, string? pathBase)
    {
        var local = (pathBase ?? "").TrimEnd('/') + StaticBase;
        var cdn = string.IsNullOrEmpty(options.CdnBaseUrl) ? null : options.CdnBaseUrl.TrimEnd('/');
        var html = new StringBuilder();
        if (!string.IsNullOrEmpty(options.WebSocketRoute))
            html.Append("<meta name=\"").Append(HubUrlMetaName).Append("\" content=\"")
                .Append(Encode((pathBase ?? "").TrimEnd('/') + options.WebSocketRoute)).Append("\">\n");
        AppendScript(html, cdn is null ? $"{local}/lib/signalr.min.js" : $"{cdn}/@microsoft/signalr@{SignalRVersion}/dist/browser/signalr.min.js");
        AppendScript(html, cdn is null ? $"{local}/lib/turbo.es2017-umd.js" : $"{cdn}/@hotwired/turbo@{TurboVersion}/dist/turbo.es2017-umd.js");
        AppendScript(html, $"{local}/turbo-signalr.js");
        return html.ToString();
    }

    /// <summary>The subscription element for one stream; the name must already be signed.</summary>
    internal static string StreamFrom(string signedStreamName) =>
        $"<{StreamElementName} signed-stream-name=\"{Encode(signedStreamName)}\"></{StreamElementName}>";

    /// <summary>Throws the error a page author needs when a helper is used without a stream name.</summary>
    internal static string RequireStream(string? stream, string usage) =>
        string.IsNullOrWhiteSpace(stream)
            ? throw new InvalidOperationException($"A stream name is required: write {usage}.")
            : stream;

    // defer keeps the order above and does not block parsing; data-turbo-track makes Turbo Drive do a
    // full reload when a visit lands on a page whose script versions differ (after a deploy).
    private static void AppendScript(StringBuilder html, string src) =>
        html.Append("<script src=\"").Append(Encode(src)).Append("\" defer data-turbo-track=\"reload\"></script>\n");

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
