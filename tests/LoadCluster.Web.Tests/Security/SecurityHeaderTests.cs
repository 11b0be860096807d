using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Security;

/// <summary>Without sign-in too, every response carries the CSP and the other security headers.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SecurityHeaderTests(RelayFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/cluster")]
    [InlineData("/hosts/headers-1")]
    [InlineData("/api/hosts")]
    [InlineData("/api/cluster")]
    [InlineData("/health")]
    [InlineData("/app.css")]
    [InlineData("/_content/LoadCluster.Turbo/turbo-stream-sources.js")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var response = await fixture.App.Http.GetAsync(path);

        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        SecurityHeaderAssert.Present(response, path);
        Assert.Contains("form-action 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
