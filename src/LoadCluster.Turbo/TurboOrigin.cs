using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// The Origin check for the stream endpoint (WebSocket and Server-Sent Events alike). CORS does not
/// apply to WebSockets and the server accepts every origin by default, so a page on another site
/// could open a socket with the user's cookies (cross-site WebSocket hijacking). A request without
/// an Origin header is not from a browser page and is let through.
/// </summary>
internal static class TurboOrigin
{
    public static bool IsAllowed(HttpRequest request, TurboOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!TryNormalize(origin, out var normalized)) return false;
        return options.AllowedOrigins.Prepend($"{request.Scheme}://{request.Host.Value}")
            .Any(allowed => TryNormalize(allowed, out var allowedNormalized) && normalized == allowedNormalized);
    }

    /// <summary>Lower-cased scheme://host:port with the default port made explicit, or false for "null" and non-origins.</summary>
    public static bool TryNormalize(string origin, out string normalized)
    {
        normalized = "";
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme is not ("http" or "https")) return false;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return false;
        normalized = $"{uri.Scheme}://{uri.Host}:{uri.Port}".ToLowerInvariant();
        return true;
    }
}
