using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace LoadCluster.Web.Security;

/// <summary>
/// OpenID Connect as a confidential client: authorization code with PKCE, the code returned in the
/// query (a top-level GET, which carries SameSite=Lax cookies back from another site), claims kept
/// under the provider's own names. The provider's <c>sub</c> becomes the NameIdentifier, which is the
/// SignalR user id: <c>ITurboPush.ToUsersAsync(sub, …)</c> reaches that person's page connections.
/// </summary>
internal sealed class OidcSetup(IOptions<AuthOptions> auth, ILoggerFactory loggers) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string SignedOutPath = "/auth/signed-out";

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name != ViewerSignIn.OidcScheme) return;
        var settings = auth.Value;
        var logger = loggers.CreateLogger<OidcSetup>();
        options.Authority = settings.Authority;
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile" }.Concat(settings.Scopes.Select(s => s.Trim()).Where(s => s.Length > 0)).Distinct(StringComparer.Ordinal)) options.Scope.Add(scope);
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.RoleClaimType = "roles";
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = false;
        options.SignedOutRedirectUri = SignedOutPath;
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
        }

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            if (SignInRedirects.AnswerInstead(context.HttpContext, StatusCodes.Status401Unauthorized)) context.HandleResponse();
            return Task.CompletedTask;
        };
        options.Events.OnTokenValidated = context =>
        {
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            if (identity.FindFirst("sub")?.Value is not { Length: > 0 } subject)
            {
                context.Fail("the provider's ID token has no 'sub' claim");
                return Task.CompletedTask;
            }
            identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject));
            identity.AddClaim(new Claim(SignInClaims.Session, SignOutBroadcast.NewSessionId()));
            // Only the ID token is kept (as the sign-out hint some providers require), so the cookie stays small.
            if ((context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage.IdToken) is { Length: > 0 } idToken)
                context.Properties!.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = async context =>
        {
            SecurityLog.SignInFailed(logger, context.Failure?.Message ?? "unknown");
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Sign-in did not complete: {context.Failure?.Message}\nStart again from the board's address.", context.HttpContext.RequestAborted);
        };
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}
