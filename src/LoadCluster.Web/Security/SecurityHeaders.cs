using LoadCluster.Turbo;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy lets the page run only the app's own
/// script files (Turbo and the library's script are files) and its own
/// stylesheet plus Turbo's progress-bar style by hash; nothing inline, no other origin, no framing.
/// Pushed fragments are HTML too: a script injected into one would not run.
/// </summary>
internal sealed class SecurityHeaders
{
    private readonly RequestDelegate _next;
    private readonly string _policy;

    public SecurityHeaders(RequestDelegate next, IOptions<TurboOptions> turbo, IOptions<AuthOptions> auth)
    {
        _next = next;
        _policy = Policy(turbo.Value, auth.Value);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // frame-ancestors is the rule; X-Frame-Options says the same to browsers without CSP 2.
        headers.XFrameOptions = "DENY";
        return _next(context);
    }

    /// <summary>
    /// form-action also governs where a form's answer may redirect: the sign-out form is answered
    /// with a redirect to the provider, so its origin is allowed there when sign-in is on. Style
    /// elements are the app's files and Turbo's progress bar only; style attributes are allowed
    /// (<c>style-src-attr</c>) because each overview row carries its place in the sort as
    /// <c>style="order:N"</c>, so a changed row is sent alone and lands in place. An attribute runs
    /// no script, and the server writes every value in it.
    /// </summary>
    internal static string Policy(TurboOptions turbo, AuthOptions auth)
    {
        var formAction = auth.IsOidc && Uri.TryCreate(auth.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        return string.Join("; ",
            "default-src 'none'",
            $"script-src {TurboContentSecurityPolicy.ScriptSources(turbo)}",
            $"style-src 'self' {TurboContentSecurityPolicy.ProgressBarStyleHash}",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'self'",
            $"form-action {formAction}",
            "frame-ancestors 'none'");
    }
}
