using System.Net;
using System.Text.RegularExpressions;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// What a browser does through an OpenID Connect sign-in, with HttpClient: follows each redirect by
/// hand (so a test sees every hop), keeps cookies as a browser does (per host, whatever the port:
/// replicas and the provider on 127.0.0.1 share them), fills in the provider's login form.
/// </summary>
internal sealed partial class SignInClient : IDisposable
{
    public const string AuthCookie = "loadcluster.auth";

    private readonly HttpClient _http;

    public SignInClient()
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }

    /// <summary>Every response on the way, in order.</summary>
    public List<HttpResponseMessage> Hops { get; } = [];

    /// <summary>
    /// Opens <paramref name="page"/> as a browser tab would, signs in as <paramref name="user"/> when sent to the
    /// provider, and returns the last response (the page, once back). <paramref name="onCallback"/> may change the request to
    /// /signin-oidc, whose response is then the last.
    /// </summary>
    public async Task<HttpResponseMessage> OpenAsync(Uri page, TestOidcUser? user, Action<HttpRequestMessage>? onCallback = null)
    {
        var request = Page(HttpMethod.Get, page);
        for (var hop = 0; hop < 20; hop++)
        {
            if (request.RequestUri!.AbsolutePath == "/signin-oidc") onCallback?.Invoke(request);
            var callback = request.RequestUri!.AbsolutePath == "/signin-oidc" && onCallback is not null;
            var response = await _http.SendAsync(request);
            Hops.Add(response);
            // A changed callback (e.g. as if over https) may set cookies this http client cannot send back.
            if (callback) return response;
            if (response.Headers.Location is { } location)
            {
                request = Page(HttpMethod.Get, new Uri(request.RequestUri!, location));
                continue;
            }
            if (user is null || request.RequestUri!.AbsolutePath != "/login" || response.StatusCode != HttpStatusCode.OK) return response;
            var form = await response.Content.ReadAsStringAsync();
            request = Page(HttpMethod.Post, new Uri(request.RequestUri, "/login"));
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["returnUrl"] = WebUtility.HtmlDecode(ReturnUrl().Match(form).Groups[1].Value),
                [TestOidcProvider.LoginField] = user.Login,
                [TestOidcProvider.PasswordField] = user.Password,
            });
            user = null; // one attempt: a second login form means the first was refused
        }
        throw new InvalidOperationException("more than 20 redirects");
    }

    /// <summary>Posts the page's sign-out form (with its anti-forgery token) and follows the redirects.</summary>
    public async Task<HttpResponseMessage> SignOutAsync(Uri replica)
    {
        var page = await (await OpenAsync(new Uri(replica, "/"), user: null)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("the page has no sign-out form");
        var request = Page(HttpMethod.Post, new Uri(replica, "/auth/signout"));
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var response = await _http.SendAsync(request);
        Hops.Add(response);
        return response.Headers.Location is { } location ? await OpenAsync(new Uri(replica, location), user: null) : response;
    }

    /// <summary>The sign-in cookie(s) for the replica, as a Cookie header (ASP.NET Core may split a large one).</summary>
    public string AuthCookieHeader(Uri replica) =>
        string.Join("; ", Cookies.GetCookies(replica).Where(c => c.Name.StartsWith(AuthCookie, StringComparison.Ordinal)).Select(c => $"{c.Name}={c.Value}"));

    private static HttpRequestMessage Page(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        return request;
    }

    public void Dispose()
    {
        foreach (var hop in Hops) hop.Dispose();
        _http.Dispose();
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrl();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
