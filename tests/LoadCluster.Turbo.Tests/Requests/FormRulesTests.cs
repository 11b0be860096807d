using System.Net;
using LoadCluster.Turbo.Tests.Infrastructure;

namespace LoadCluster.Turbo.Tests.Requests;

public sealed class FormRulesTests : IAsyncLifetime
{
    private const string TurboAccept = "text/vnd.turbo-stream.html, text/html, application/xhtml+xml";
    private TurboTestApp _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = await TurboTestApp.StartAsync(configureApp: MessageFormDemo.Map);
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_form_posted_by_Turbo_gets_a_stream_back()
    {
        using var request = Post("hello <b>world</b>", TurboAccept);
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/vnd.turbo-stream.html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<turbo-stream action=\"append\" target=\"messages\"><template><li>hello &lt;b&gt;world&lt;/b&gt;</li></template></turbo-stream>"
            + "<turbo-stream action=\"replace\" target=\"message-form\"><template><form id=\"message-form\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_form_posted_without_JavaScript_is_redirected_with_303_to_the_full_page()
    {
        using var request = Post("no script", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/messages", response.Headers.Location!.OriginalString);

        var page = await _http.GetStringAsync("/messages");
        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("<li>no script</li>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TurboAccept)]
    [InlineData("text/html")]
    public async Task A_form_with_errors_is_re_rendered_with_422(string accept)
    {
        using var request = Post("  ", accept);
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("<p class=\"error\">Write a message first.</p>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_request_is_answered_with_only_that_frame()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/messages/frame");
        request.Headers.Add("Turbo-Frame", "side");
        using var response = await _http.SendAsync(request);
        Assert.Equal("<turbo-frame id=\"side\">framed</turbo-frame>", await response.Content.ReadAsStringAsync());

        Assert.StartsWith("<!DOCTYPE html>", await _http.GetStringAsync("/messages/frame"), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Post(string text, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/messages") { Content = new FormUrlEncodedContent([new("text", text)]) };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }
}
