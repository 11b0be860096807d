using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Sign-in, when <c>LoadCluster__Auth__Mode=oidc</c>: a cookie session started by OpenID Connect,
/// and a fallback authorization policy, so every endpoint that does not say otherwise (pages, the
/// API, the stream endpoint, the sample stream) needs a signed-in viewer; the health endpoints allow anyone.
/// </summary>
internal static class ViewerSignIn
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static void AddViewerSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        // The pipeline authenticates and authorizes in either mode (an app may add its own schemes).
        services.AddAuthentication();
        services.AddAuthorization();

        var settings = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (!settings.IsOidc) return;
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = OidcScheme;
            })
            .AddCookie(CookieScheme)
            .AddOpenIdConnect(OidcScheme, _ => { });
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>, CookieSetup>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, OidcSetup>();
        services.AddAuthorizationBuilder().SetFallbackPolicy(ViewerPolicy(settings));
    }

    /// <summary>Signed in, and carrying the required claim when one is configured.</summary>
    internal static AuthorizationPolicy ViewerPolicy(AuthOptions settings)
    {
        var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
        if (!string.IsNullOrWhiteSpace(settings.RequiredClaim)) policy.RequireClaim(settings.RequiredClaim, settings.RequiredValues);
        return policy.Build();
    }
}
