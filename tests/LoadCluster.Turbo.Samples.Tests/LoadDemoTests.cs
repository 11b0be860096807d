using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Samples.Tests;

/// <summary>samples/LoadDemo in Chromium: pages get the pushed load on the connection their layout carries, across Drive visits.</summary>
public sealed class LoadDemoTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly float Patience = 30_000;

    [Fact]
    public async Task Both_pages_get_the_pushed_load_on_their_layout_s_connection_across_a_Drive_visit()
    {
        await using var app = await Sample.StartAsync("LoadDemo", "--PushInterval", "00:00:00.2");
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(app.Url("/"));
        Assert.Matches(@"^Load averages: \d+\.\d\d \d+\.\d\d \d+\.\d\d$", await page.InnerTextAsync("#load"));
        await ExpectPushedLoadAsync(page);

        await page.EvaluateAsync("() => { window.marker = 'same document'; }");
        await page.ClickAsync("#to-page2");
        await page.WaitForSelectorAsync("text=Page 2", new() { Timeout = Patience });
        await ExpectPushedLoadAsync(page);

        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.marker ?? null"));
        Assert.Equal(1, await page.Locator("turbo-stream-source").CountAsync());
        Assert.Empty(errors);
    }

    /// <summary>Marks the load element and waits until a push has replaced it with a new one.</summary>
    private static async Task ExpectPushedLoadAsync(IPage page)
    {
        await page.EvaluateAsync("() => { document.getElementById('load').dataset.old = 'yes'; }");
        await page.WaitForFunctionAsync("() => document.getElementById('load') && !document.getElementById('load').dataset.old", null, new() { Timeout = Patience, PollingInterval = 50 });
        Assert.StartsWith("Load averages: ", await page.InnerTextAsync("#load"), StringComparison.Ordinal);
    }
}
