using System.Collections.Immutable;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace LoadCluster.Testing;

/// <summary>
/// A real OpenID Connect provider for tests: OpenIddict's server on a loopback Kestrel, with one
/// confidential client (authorization code, PKCE required), a login form and two users. It keeps
/// no database (OpenIddict's degraded mode): the handlers below check the client, its secret and
/// its redirect URIs (any loopback app's <c>/signin-oidc</c> and <c>/signout-callback-oidc</c>).
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "loadcluster";
    public const string ClientSecret = "test-client-secret-for-loadcluster";
    public const string GroupsClaim = "groups";

    /// <summary>Login form field names.</summary>
    public const string LoginField = "login";
    public const string PasswordField = "password";

    private const string SessionScheme = "provider-session";

    public static readonly TestOidcUser Alice = new("alice", "alice-password", "u-alice", "Alice Example", ["fleet-viewers"]);
    public static readonly TestOidcUser Bob = new("bob", "bob-password", "u-bob", "Bob Example", ["fleet-viewers", "ops"]);

    public static readonly IReadOnlyList<TestOidcUser> Users = [Alice, Bob];

    private readonly WebApplication _app;
    private int _signOuts;

    private TestOidcProvider(WebApplication app) => _app = app;

    /// <summary>The issuer, e.g. http://127.0.0.1:5123/ (its discovery document is under it).</summary>
    public Uri Authority => _app.BoundAddress();

    /// <summary>How many end-session (sign-out) requests reached the provider.</summary>
    public int SignOuts => Volatile.Read(ref _signOuts);

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, cookie =>
        {
            // Its own name: the browser shares cookies across loopback ports, so the app's must not collide.
            cookie.Cookie.Name = "test-provider.session";
            cookie.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/endsession");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.Profile, GroupsClaim);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            server.DisableAccessTokenEncryption();
            server.EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, $"unknown client_id '{context.ClientId}'");
                else if (!IsLoopbackCallback(context.RedirectUri, "/signin-oidc")) context.Reject(Errors.InvalidRequest, $"redirect_uri '{context.RedirectUri}' is not registered");
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret) context.Reject(Errors.InvalidClient, "bad client credentials");
                return default;
            }));
            server.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { Length: > 0 } uri && !IsLoopbackCallback(uri, "/signout-callback-oidc"))
                    context.Reject(Errors.InvalidRequest, $"post_logout_redirect_uri '{uri}' is not registered");
                return default;
            }));
        });

        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        app.UseAuthentication();
        app.MapGet("/login", (string? returnUrl) => Results.Content(LoginForm(returnUrl ?? "/", error: null), "text/html; charset=utf-8"));
        app.MapPost("/login", (Delegate)provider.LoginAsync).DisableAntiforgery();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync);
        app.MapPost("/connect/token", async (HttpContext context) =>
        {
            var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return code.Principal is { } principal
                ? Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        app.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], async (HttpContext context) =>
        {
            Interlocked.Increment(ref provider._signOuts);
            await context.SignOutAsync(SessionScheme);
            return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        await app.StartAsync();
        return provider;
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        var user = Users.SingleOrDefault(u => u.Login == form[LoginField].ToString() && u.Password == form[PasswordField].ToString());
        if (user is null) return Results.Content(LoginForm(returnUrl, "Wrong login or password."), "text/html; charset=utf-8", statusCode: 401);
        if (!returnUrl.StartsWith("/connect/", StringComparison.Ordinal)) returnUrl = "/";
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Login)], SessionScheme);
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var session = await context.AuthenticateAsync(SessionScheme);
        if (Users.SingleOrDefault(u => u.Login == session.Principal?.Identity?.Name) is not { } user)
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.Path + context.Request.QueryString }, [SessionScheme]);

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.DisplayName).SetClaims(GroupsClaim, [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static bool IsLoopbackCallback(string? uri, string path) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == "http" && IPAddress.TryParse(parsed.Host, out var address)
        && IPAddress.IsLoopback(address) && parsed.AbsolutePath == path;

    private static string LoginForm(string returnUrl, string? error) => $"""
        <!DOCTYPE html>
        <html><head><title>Test provider · sign in</title></head>
        <body>
        <h1>Test provider</h1>
        {(error is null ? "" : $"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>")}
        <form method="post" action="/login">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
          <label>Login <input name="{LoginField}" id="{LoginField}"></label>
          <label>Password <input name="{PasswordField}" id="{PasswordField}" type="password"></label>
          <button type="submit" id="sign-in">Sign in</button>
        </form>
        </body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _app.StopAsync(cts.Token); }
        finally { await _app.DisposeAsync(); }
    }
}
