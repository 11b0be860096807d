using LoadCluster.Samples;
using LoadCluster.Turbo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// In Chromium, with the CSP on: sign in at the test provider (authorization code with PKCE), watch
/// the board update live across a Turbo Drive visit, sign out; and not one CSP violation on the way.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class SignInBrowserTests(SignInCluster cluster, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const float Timeout = 30_000;

    [Fact]
    public async Task A_viewer_signs_in_with_code_and_pkce_watches_the_board_live_and_signs_out_with_no_csp_violation()
    {
        var app = cluster[0];
        using var publisher = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        await using var context = await chromium.Browser.NewContextAsync();
        // Chromium reports each violation on the console; the event also catches ones it does not print.
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        var authorizeRequests = new List<string>();
        page.Request += (_, request) => { if (request.Url.Contains("/connect/authorize", StringComparison.Ordinal)) lock (authorizeRequests) authorizeRequests.Add(request.Url); };

        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        await page.FillAsync("#" + TestOidcProvider.LoginField, TestOidcProvider.Alice.Login);
        await page.FillAsync("#" + TestOidcProvider.PasswordField, TestOidcProvider.Alice.Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(new Uri(app.BaseAddress, "/").ToString(), new() { Timeout = Timeout });
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]", new() { Timeout = Timeout });
        Assert.Contains("Alice Example", await page.InnerTextAsync("header"), StringComparison.Ordinal);

        await PublishUntilShownAsync(page, publisher, "browser-1", 3.21, "#hosts-body, tbody");
        // Clicked from script: pushes replace the row, and a pointer click can land between the old
        // row leaving and the new one arriving (then nothing navigates). Once in a full run even a
        // script click did not navigate within 30 s (the cause not found), so it is clicked
        // again until the page goes: what is tested here is the signed-in page there, not the click.
        await Wait.UntilAsync(async () =>
        {
            if (page.Url.EndsWith("/hosts/browser-1", StringComparison.Ordinal)) return true;
            try
            {
                await page.EvaluateAsync("selector => document.querySelector(selector)?.click()", "a[href='/hosts/browser-1']");
                await page.WaitForURLAsync("**/hosts/browser-1", new() { Timeout = 5_000 });
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException) { } // not yet, or navigating from an earlier click
            return page.Url.EndsWith("/hosts/browser-1", StringComparison.Ordinal);
        }, TimeSpan.FromMilliseconds(Timeout), "the host's page after clicking its row", every: TimeSpan.FromMilliseconds(100));
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]", new() { Timeout = Timeout });
        await PublishUntilShownAsync(page, publisher, "browser-1", 4.56, "main");

        await page.ClickAsync("form.signout button");
        await page.WaitForURLAsync("**/auth/signed-out", new() { Timeout = Timeout });
        var push = app.Services.GetRequiredService<ITurboPush>();
        await Wait.ForAsync(() => Task.FromResult(push.LocalConnectionCount), count => count == 0, "the signed-out page's connection closed");
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        await page.WaitForSelectorAsync("#" + TestOidcProvider.LoginField, new() { Timeout = Timeout });

        Assert.Contains(authorizeRequests, url => url.Contains("code_challenge_method=S256", StringComparison.Ordinal) && url.Contains("response_type=code", StringComparison.Ordinal));
        lock (errors) Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal) || e.Contains("CSP violation", StringComparison.Ordinal));
    }

    /// <summary>Publishes samples of the host until the page shows the load (the relay may still be subscribing).</summary>
    private static async Task PublishUntilShownAsync(IPage page, ConnectionMultiplexer publisher, string host, double load1, string where)
    {
        var text = load1.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var shown = page.Locator(where).GetByText(text).First;
        await Wait.UntilAsync(async () =>
        {
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(new RedisNames().SamplesChannel(host)), SampleJson.Serialize(TestSamples.Of(host, load1, intervalMs: 60_000)));
            return await shown.IsVisibleAsync();
        }, TimeSpan.FromSeconds(30), $"{where} showed {host}'s load {text}", every: TimeSpan.FromSeconds(1));
    }
}
