using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LoadCluster.Web.Tests.Browser;

/// <summary>
/// The overview in Debian's Chromium (through Playwright), against the real relay and Redis:
/// a sorted, filtered view stays sorted and filtered while samples arrive, and sorting by a
/// column works through Turbo Drive.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class OverviewBrowserTests(RelayFixture fixture) : IAsyncLifetime
{
    // A browser of its own per test (xunit makes the class anew for each), as before.
    private readonly ChromiumFixture _chromium = new();

    public Task InitializeAsync() => _chromium.InitializeAsync();

    public Task DisposeAsync() => _chromium.DisposeAsync();

    /// <summary>Host names of the rows as the page shows them, top to bottom (CSS order applied).</summary>
    private static Task<string[]> VisibleOrderAsync(IPage page) => page.EvaluateAsync<string[]>(
        "() => [...document.querySelectorAll('#host-rows tr.host-row')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(r => r.id.slice(5))");

    private static async Task WaitForAsync(IPage page, Func<Task<bool>> condition, string what)
    {
        try
        {
            await Wait.UntilAsync(condition, TimeSpan.FromSeconds(30), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; rows: {string.Join(",", await VisibleOrderAsync(page))}", e);
        }
    }

    [Fact]
    public async Task A_sorted_filtered_page_stays_sorted_and_filtered_as_samples_arrive()
    {
        await fixture.WaitUntilRelayingAsync("live-0");
        var loads = new[] { 1.0, 2.0, 3.0, 4.0 };
        for (var i = 0; i < loads.Length; i++) await fixture.PublishAsync(RelayFixture.Slow($"live-{i}", load1: loads[i]));
        await using var context = await _chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/?q=live-&sort=load1").ToString());
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]");
        await WaitForAsync(page, async () => (await VisibleOrderAsync(page)).SequenceEqual(["live-3", "live-2", "live-1", "live-0"]), "the first order");

        // The order turns round; a host outside the filter reports too.
        loads = [9.0, 7.0, 5.0, 0.5];
        for (var i = 0; i < loads.Length; i++) await fixture.PublishAsync(RelayFixture.Slow($"live-{i}", load1: loads[i]));
        await fixture.PublishAsync(RelayFixture.Slow("elsewhere-1", load1: 50));

        await WaitForAsync(page, async () => (await VisibleOrderAsync(page)).SequenceEqual(["live-0", "live-1", "live-2", "live-3"]), "the new order");
        Assert.Equal("9.00", await page.TextContentAsync("#host-live-0-load1"));
        Assert.Equal("0.50", await page.TextContentAsync("#host-live-3-load1"));
        Assert.Equal(0, await page.Locator("#host-elsewhere-1").CountAsync());
        Assert.Equal("4", await page.TextContentAsync("#count-all"));
    }

    [Fact]
    public async Task Sorting_by_a_column_goes_through_Turbo_Drive_and_stays_live()
    {
        await fixture.WaitUntilRelayingAsync("drive-b");
        await fixture.PublishAsync(RelayFixture.Slow("drive-a", load1: 1));
        await fixture.PublishAsync(RelayFixture.Slow("drive-c", load1: 3));
        await using var context = await _chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/?q=drive-").ToString());
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        await page.ClickAsync("th a[href*='sort=host']");
        // A Turbo Drive visit changes the URL with pushState: no load event to wait for.
        await WaitForAsync(page, () => Task.FromResult(page.Url.EndsWith("/?sort=host&q=drive-", StringComparison.Ordinal)), "the sorted URL");
        await WaitForAsync(page, async () => (await VisibleOrderAsync(page)).SequenceEqual(["drive-a", "drive-b", "drive-c"]), "name order");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the click reloaded the page instead of a Turbo Drive visit");

        await fixture.PublishAsync(RelayFixture.Slow("drive-b", load1: 8.76));
        await page.WaitForSelectorAsync("#host-drive-b-load1:text('8.76')");
        Assert.Equal(["drive-a", "drive-b", "drive-c"], await VisibleOrderAsync(page));
    }

    [Fact]
    public async Task A_hidden_tab_closes_its_streams_and_gets_the_state_at_once_when_shown()
    {
        await fixture.WaitUntilRelayingAsync("tab-1");
        await fixture.PublishAsync(RelayFixture.Slow("tab-1", load1: 1.11));
        await using var context = await _chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.App.BaseAddress, "/?q=tab-").ToString());
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]");
        await page.WaitForSelectorAsync("#host-tab-1-load1:text('1.11')");

        // Headless Chromium never hides a page by itself: the test says it is hidden, as the browser
        // does when the tab goes to the background (the property and the event the script reads).
        await SetHiddenAsync(page, true);
        // close() leaves a WebSocket CLOSING (2) until the server answers the close: wait for CLOSED (3).
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('turbo-stream-source')].every(s => s.streamSource.readyState === 3 && s.getAttribute('connection-state') === 'paused')",
            null, new() { Timeout = 10_000 });
        await fixture.PublishAsync(RelayFixture.Slow("tab-1", load1: 2.22));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("1.11", await page.TextContentAsync("#host-tab-1-load1"));
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.querySelectorAll('turbo-stream-source')].every(s => s.streamSource.readyState === 3)"),
            "no connection reopened while hidden");

        await SetHiddenAsync(page, false);
        await page.WaitForSelectorAsync("#host-tab-1-load1:text('2.22')");
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]");
    }

    private static Task SetHiddenAsync(IPage page, bool hidden) => page.EvaluateAsync(
        """
        hidden => {
          Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
          Object.defineProperty(document, "visibilityState", { configurable: true, get: () => hidden ? "hidden" : "visible" });
          document.dispatchEvent(new Event("visibilitychange"));
        }
        """, hidden);
}
