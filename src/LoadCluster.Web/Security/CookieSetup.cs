using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// The sign-in cookie: HttpOnly, SameSite=Lax (sent on top-level navigations from the provider back
/// to us, never on cross-site subrequests), Secure whenever the request came over https (through a
/// trusted proxy's X-Forwarded-Proto too). Its content is protected with the cluster's shared keys.
/// </summary>
internal sealed class CookieSetup(IOptions<AuthOptions> auth) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public const string CookieName = "loadcluster.auth";
    public const string AccessDeniedPath = "/auth/denied";

    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name != ViewerSignIn.CookieScheme) return;
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = auth.Value.SessionLifetime;
        options.SlidingExpiration = true;
        options.AccessDeniedPath = AccessDeniedPath;
        options.Events.OnRedirectToAccessDenied = context =>
        {
            if (!SignInRedirects.AnswerInstead(context.HttpContext, StatusCodes.Status403Forbidden)) context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToLogin = context =>
        {
            if (!SignInRedirects.AnswerInstead(context.HttpContext, StatusCodes.Status401Unauthorized)) context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
    }

    public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
}
