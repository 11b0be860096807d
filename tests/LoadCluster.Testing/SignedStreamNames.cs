using System.Net;
using System.Text.RegularExpressions;

namespace LoadCluster.Testing;

/// <summary>The signed stream names a page listens to, read from its markup as the browser's elements carry them.</summary>
public static partial class SignedStreamNames
{
    /// <summary>Every signed name on the page, in order, HTML-decoded.</summary>
    public static IEnumerable<string> In(string html) =>
        SignedName().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));

    /// <summary>The page's first signed name, or null when it has none.</summary>
    public static string? FirstIn(string html) => In(html).FirstOrDefault();

    [GeneratedRegex("signed-stream-name=\"([^\"]+)\"")]
    private static partial Regex SignedName();
}
