using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Tests.Security;

/// <summary>A bad sign-in, limit or proxy setting stops start-up with a message naming the setting.</summary>
[Collection(WebAppCollection.Name)]
public sealed class FrontDoorOptionsTests
{
    [Theory]
    [InlineData("LoadCluster__Auth__Mode", "LoadCluster:Auth:Mode", "saml")]
    [InlineData("LoadCluster__Auth__Authority", "LoadCluster:Auth:Mode", "oidc")]
    [InlineData("LoadCluster__Auth__ClientSecret", "LoadCluster:Auth:Authority", "https://login.example.com/")]
    [InlineData("LoadCluster__Auth__RequireHttpsMetadata", "LoadCluster:Auth:Authority", "http://login.example.com/")]
    [InlineData("LoadCluster__Auth__RequiredClaimValues__0", "LoadCluster:Auth:RequiredClaim", "groups")]
    [InlineData("LoadCluster__Limits__ConnectionsPerClient", "LoadCluster:Limits:ConnectionsPerClient", "0")]
    [InlineData("LoadCluster__Limits__MaxConnections", "LoadCluster:Limits:MaxConnections", "-1")]
    [InlineData("LoadCluster__TrustedProxies", "LoadCluster:TrustedProxies:0", "nginx")]
    public async Task A_bad_setting_stops_start_up_naming_it(string named, string key, string value)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key != "LoadCluster:Auth:Mode" && key.StartsWith("LoadCluster:Auth", StringComparison.Ordinal))
        {
            settings["LoadCluster:Auth:Mode"] = "oidc";
            settings.TryAdd("LoadCluster:Auth:Authority", "https://login.example.com/");
            settings["LoadCluster:Auth:ClientId"] = "loadcluster";
            if (named != "LoadCluster__Auth__ClientSecret") settings["LoadCluster:Auth:ClientSecret"] = "secret";
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            WebApp.StartAsync($"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=500", "web-options", settings: settings));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
