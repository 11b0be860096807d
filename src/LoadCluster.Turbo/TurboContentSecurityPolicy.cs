namespace LoadCluster.Turbo;

/// <summary>
/// What a Content-Security-Policy without <c>'unsafe-inline'</c> must allow for the page helpers.
/// Turbo and the library's script are files, so <c>script-src 'self'</c> covers them (plus the CDN's
/// origin when <see cref="TurboOptions.CdnBaseUrl"/> is set); the stream endpoint is same-origin
/// (<c>connect-src 'self'</c>). Turbo adds one inline stylesheet, for its progress bar.
/// </summary>
public static class TurboContentSecurityPolicy
{
    /// <summary>
    /// The <c>style-src</c> hash of the <c>&lt;style&gt;</c> Turbo inserts into every page's head for its
    /// progress bar (the pinned Turbo's <c>ProgressBar.defaultCSS</c>; a test checks it in Chromium).
    /// </summary>
    public const string ProgressBarStyleHash = "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='";

    /// <summary>The <c>script-src</c> sources the page helpers need: <c>'self'</c>, and the CDN's origin when one is set.</summary>
    public static string ScriptSources(TurboOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CdnBaseUrl is { Length: > 0 } cdn && Uri.TryCreate(cdn, UriKind.Absolute, out var uri)
            ? $"'self' {uri.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
    }
}
