using LoadCluster.Web.Components.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Sign-out and the two pages around sign-in. Sign-in itself needs no endpoint: any page sends an
/// anonymous browser to the provider and back to where it was.
/// </summary>
internal static class SignInEndpoints
{
    public const string SignOutPath = "/auth/signout";

    public static IEndpointRouteBuilder MapViewerSignIn(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.IsOidc) return endpoints;
        endpoints.MapPost(SignOutPath, SignOutAsync).AllowAnonymous();
        endpoints.MapGet(OidcSetup.SignedOutPath, () => new RazorComponentResult<AuthNotice>(new
        {
            Title = "Signed out",
            Message = "You have signed out of LoadCluster; your live connections are closed.",
        })).AllowAnonymous();
        endpoints.MapGet(CookieSetup.AccessDeniedPath, (IOptions<AuthOptions> auth) => new RazorComponentResult<AuthNotice>(new
        {
            Title = "Not allowed",
            Message = $"You are signed in, but watching the fleet needs the claim '{auth.Value.RequiredClaim}' with one of: {string.Join(", ", auth.Value.RequiredValues)}. Ask your provider's administrator, or sign in as someone else.",
            SignedIn = true,
        }) { StatusCode = StatusCodes.Status403Forbidden }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>Ends the cookie session and the provider's, and closes this sign-in's connections on every replica.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, SignOutBroadcast broadcast)
    {
        if (context.User.Identity?.IsAuthenticated != true) return Results.Redirect(OidcSetup.SignedOutPath);
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest("The sign-out form has expired; reload the page and sign out again.");
        if (SignInClaims.SessionOf(context.User) is { } session) await broadcast.SignOutAsync(session);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = OidcSetup.SignedOutPath }, [ViewerSignIn.CookieScheme, ViewerSignIn.OidcScheme]);
    }
}
