using System.Net;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace LoadCluster.Web.Tests.Security;

/// <summary>Sign-in with a real OpenID Connect provider (OpenIddict) on one replica: who gets in, who gets a status code.</summary>
[Collection(SignInCollection.Name)]
public sealed class SignInTests(SignInCluster cluster)
{
    private readonly WebApp _app = cluster[0];

    [Fact]
    public async Task An_anonymous_page_request_is_sent_to_the_provider_with_a_code_and_pkce_and_comes_back_to_that_page()
    {
        using var browser = new SignInClient();

        var page = await browser.OpenAsync(new Uri(_app.BaseAddress, "/hosts/signin-host"), TestOidcProvider.Alice);

        var challenge = browser.Hops[0];
        Assert.Equal(HttpStatusCode.Found, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(new Uri(cluster.Provider.Authority, "connect/authorize").ToString(), authorize.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal(TestOidcProvider.ClientId, query["client_id"]);
        Assert.Equal(new Uri(_app.BaseAddress, "/signin-oidc").ToString(), query["redirect_uri"]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/hosts/signin-host", browser.Hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Alice Example", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/hosts")]
    [InlineData("/api/cluster")]
    [InlineData("/api/samples/stream")]
    [InlineData("/turbo-stream?stream=x")]
    [InlineData("/turbo-stream")]
    public async Task The_api_and_the_event_streams_answer_401_to_anonymous_callers(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        // A browser tab opened on the API still gets a status code, not the provider's login page.
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _app.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_stream_endpoint_refuses_an_anonymous_websocket_with_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await TurboSocketClient.RefusedAsync(_app.Endpoint, null));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_endpoints_stay_open_to_probes(string path)
    {
        using var response = await _app.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_cookie_is_httponly_and_samesite_lax_and_secure_when_the_request_came_over_https()
    {
        // A TLS-terminating proxy in front: trusted, it says the callback came over https.
        await using var behindTls = await cluster.StartReplicaAsync("signin-tls", new Dictionary<string, string?> { ["LoadCluster:TrustedProxies:0"] = "127.0.0.1" });
        using var plain = new SignInClient();
        using var tls = new SignInClient();

        await plain.OpenAsync(new Uri(behindTls.BaseAddress, "/"), TestOidcProvider.Bob);
        await tls.OpenAsync(new Uri(behindTls.BaseAddress, "/"), TestOidcProvider.Bob, callback => callback.Headers.Add("X-Forwarded-Proto", "https"));

        var overHttp = AuthSetCookie(plain);
        var overHttps = AuthSetCookie(tls);
        Assert.Contains("httponly", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", overHttp.Replace("loadcluster", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", overHttps, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", overHttps, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_viewer_without_the_required_claim_is_refused_and_one_with_it_gets_in()
    {
        await using var opsOnly = await cluster.StartReplicaAsync("signin-ops", new Dictionary<string, string?>
        {
            ["LoadCluster:Auth:RequiredClaim"] = TestOidcProvider.GroupsClaim,
            ["LoadCluster:Auth:RequiredClaimValues:0"] = "ops",
        });
        using var alice = new SignInClient();
        using var bob = new SignInClient();

        var refused = await alice.OpenAsync(new Uri(opsOnly.BaseAddress, "/"), TestOidcProvider.Alice);
        var admitted = await bob.OpenAsync(new Uri(opsOnly.BaseAddress, "/"), TestOidcProvider.Bob);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("'groups' with one of: ops", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/hosts");
        api.Headers.Add("Cookie", alice.AuthCookieHeader(opsOnly.BaseAddress));
        using var noCookies = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = opsOnly.BaseAddress };
        Assert.Equal(HttpStatusCode.Forbidden, (await noCookies.SendAsync(api)).StatusCode);
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_the_csp_allows_the_provider_as_a_form_target()
    {
        using var browser = new SignInClient();
        await browser.OpenAsync(new Uri(_app.BaseAddress, "/"), TestOidcProvider.Alice);

        foreach (var path in new[] { "/", "/cluster", "/hosts/headers-1", "/not-found", "/api/hosts", "/auth/signed-out", "/app.css" })
        {
            var response = await browser.OpenAsync(new Uri(_app.BaseAddress, path), user: null);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            SecurityHeaderAssert.Present(response, path);
            Assert.Contains($"form-action 'self' {cluster.Provider.Authority.GetLeftPart(UriPartial.Authority)}", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }
    }

    private static string AuthSetCookie(SignInClient client) =>
        client.Hops.SelectMany(h => h.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            .Single(c => c.StartsWith(SignInClient.AuthCookie + "=", StringComparison.Ordinal));
}
