using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LoadCluster.Turbo;

/// <summary>What a request says about Turbo: whether it accepts a stream answer, and which frame it asks for.</summary>
public static class TurboRequestExtensions
{
    /// <summary>The Turbo Stream media type.</summary>
    public const string StreamMediaType = "text/vnd.turbo-stream.html";

    /// <summary>
    /// True when the Accept header names <c>text/vnd.turbo-stream.html</c> explicitly with a quality
    /// above 0 and at least that of <c>text/html</c> (Turbo sends
    /// "text/vnd.turbo-stream.html, text/html, application/xhtml+xml" with its form submissions).
    /// A wildcard such as <c>*/*</c> does not count: a client that did not ask for streams gets a page.
    /// </summary>
    public static bool CanStream(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        double? stream = null, html = null;
        var htmlSpecificity = -1;
        foreach (var media in accepted)
        {
            var quality = media.Quality ?? 1.0;
            if (media.MediaType.Equals(StreamMediaType, StringComparison.OrdinalIgnoreCase))
            {
                stream = Math.Max(stream ?? 0, quality);
                continue;
            }
            // RFC 9110: the most specific range that matches text/html gives its quality.
            var specificity = media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) ? 2
                : media.MediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase) ? 1
                : media.MediaType.Equals("*/*", StringComparison.Ordinal) ? 0 : -1;
            if (specificity > htmlSpecificity)
            {
                htmlSpecificity = specificity;
                html = quality;
            }
            else if (specificity == htmlSpecificity && specificity >= 0)
            {
                html = Math.Max(html ?? 0, quality);
            }
        }
        return stream > 0 && stream >= (html ?? 0);
    }

    /// <summary>The id of the frame a request comes from (the <c>Turbo-Frame</c> header), or null for a full page.</summary>
    public static string? TurboFrame(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Headers["Turbo-Frame"].ToString();
        return value.Length == 0 ? null : value;
    }
}
