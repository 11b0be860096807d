using System.Net;
using System.Text.RegularExpressions;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LoadCluster.Turbo.Tests.Streams;

/// <summary>
/// ITurboRenderer during a request renders as the request's page would: with its anti-forgery
/// token (which then validates on the next post), its user and its URL. Real Kestrel, real
/// anti-forgery middleware, form binding that requires the token.
/// </summary>
public sealed partial class RequestRendererTests : IAsyncLifetime
{
    private TurboTestApp _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = await TurboTestApp.StartAsync(configureApp: app =>
        {
            app.UseAntiforgery();
            app.MapGet("/form", async (ITurboRenderer renderer) =>
                TurboResults.Stream(TurboStream.Replace("form", await renderer.RenderComponentAsync<RequestForm>(new { Label = "anonymous object" }))));
            app.MapGet("/together", async (ITurboRenderer renderer) =>
            {
                var forms = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
                    renderer.RenderComponentAsync<RequestForm>(new Dictionary<string, object?> { ["Label"] = $"form {i}" })));
                return TurboResults.Unprocessable(string.Concat(forms));
            });
            // A handler may render a fragment and still answer with a Razor component page.
            app.MapGet("/then-page", async (ITurboRenderer renderer) =>
            {
                var fragment = await renderer.RenderComponentAsync<Greeting>(new { Name = "fragment" });
                return new RazorComponentResult<RequestForm>(new { Label = fragment });
            });
            app.MapGet("/nested", () => new RazorComponentResult<NestedRender>());
            app.MapPost("/submit", ([FromForm] string? text) => Results.Text($"posted {text}"));
        });
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _app.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_form_rendered_during_a_request_carries_a_token_that_the_next_post_passes_with()
    {
        var html = await GetAsync("/form", user: "ann");

        Assert.Contains("anonymous object", html, StringComparison.Ordinal);
        var token = Token(html);
        using var posted = await PostAsync(token, user: "ann");
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("posted hello", await posted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_post_without_the_token_is_refused_so_the_token_is_what_lets_it_through()
    {
        await GetAsync("/form", user: "ann"); // the cookie half of the pair

        using var posted = await PostAsync(token: null, user: "ann");

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
    }

    [Fact]
    public async Task The_render_sees_the_request_user_and_builds_links_from_the_request_url()
    {
        var html = await GetAsync("/form", user: "ann");

        Assert.Contains("data-user=\"ann\"", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"{new Uri(_app.BaseUri, "/submit")}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renders_started_together_in_one_request_each_get_their_own_output()
    {
        var html = await GetAsync("/together", user: "ann", expected: HttpStatusCode.UnprocessableEntity);

        for (var i = 0; i < 5; i++) Assert.Contains($"form {i}</form>", html, StringComparison.Ordinal);
        Assert.Equal(5, TokenPattern().Matches(html).Count);
    }

    [Fact]
    public async Task A_handler_can_render_a_fragment_and_then_answer_with_a_component_page()
    {
        var html = await GetAsync("/then-page", user: "ann");

        Assert.Contains("&lt;p title=&quot;fragment&quot;&gt;Hello, fragment&lt;/p&gt;", html, StringComparison.Ordinal);
        Assert.NotEmpty(Token(html));
    }

    [Fact]
    public async Task A_component_that_renders_a_fragment_while_the_request_renders_it_does_not_wait_on_itself()
    {
        var html = await GetAsync("/nested", user: "ann");

        Assert.Equal("<p title=\"nested\">Hello, nested</p>", html);
    }

    private async Task<string> GetAsync(string path, string user, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestUsers.Header, user);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private async Task<HttpResponseMessage> PostAsync(string? token, string user)
    {
        var fields = new List<KeyValuePair<string, string>> { new("text", "hello") };
        if (token is not null) fields.Add(new("__RequestVerificationToken", token));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/submit") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TestUsers.Header, user);
        return await _http.SendAsync(request);
    }

    private static string Token(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no anti-forgery token in: {html}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
