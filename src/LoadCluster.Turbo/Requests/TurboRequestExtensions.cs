using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace LoadCluster.Turbo;

/// <summary>What a request says about Turbo: whether it accepts a stream answer, and which frame it asks for.</summary>
public static class TurboRequestExtensions
{
    /// <summary>The Turbo Stream media type.</summary>
    public const string StreamMediaType = "text/vnd.turbo-stream.html";

    private static readonly MediaTypeHeaderValue Html = new("text/html");

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
        var stream = accepted.Where(media => media.MediaType.Equals(StreamMediaType, StringComparison.OrdinalIgnoreCase)).Max(Quality);
        // RFC 9110: of the ranges text/html falls in (text/html, text/*, */*), the most specific gives its quality.
        var html = accepted.Where(Html.IsSubsetOf).GroupBy(Specificity).MaxBy(ranges => ranges.Key)?.Max(Quality);
        return stream > 0 && stream >= (html ?? 0);
    }

    /// <summary>The id of the frame a request comes from (the <c>Turbo-Frame</c> header), or null for a full page.</summary>
    public static string? TurboFrame(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Headers["Turbo-Frame"].ToString();
        return value.Length == 0 ? null : value;
    }

    private static double? Quality(MediaTypeHeaderValue media) => media.Quality ?? 1.0;

    private static int Specificity(MediaTypeHeaderValue range) => range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
}
