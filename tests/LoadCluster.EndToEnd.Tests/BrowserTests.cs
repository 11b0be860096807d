using static LoadCluster.EndToEnd.Tests.Pages;

namespace LoadCluster.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class BrowserTests(ClusterFixture fixture)
{
    private const string Host = ClusterFixture.CollectorHost;

    [Fact]
    public async Task Page_through_the_front_door_shows_live_numbers_and_keeps_updating_after_a_Turbo_Drive_visit()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await OpenLiveAsync(context, fixture.FrontDoor);
        await MarkWindowAsync(page);

        // The collector's row is replaced by each sample it publishes.
        await WaitReplacedAsync(page, $"host-{Host}");
        await WaitReplacedAsync(page, $"host-{Host}");
        // And the numbers are the ones published.
        var other = "e2e-browser-" + Guid.NewGuid().ToString("N")[..8];
        await fixture.PublishAsync(other, 7.77);
        await WaitTextAsync(page, $"host-{other}-load1", "7.77");
        await fixture.PublishAsync(other, 8.88);
        await WaitTextAsync(page, $"host-{other}-load1", "8.88");
        Assert.Equal("same document", await WindowMarkAsync(page));

        // Clicked from script: the row is replaced twice a second, and a pointer click can land
        // between the old row leaving and the new one arriving.
        await page.EvaluateAsync("selector => document.querySelector(selector).click()", $"#host-{Host} a[href='/hosts/{Host}']");
        await page.WaitForFunctionAsync("path => location.pathname === path", $"/hosts/{Host}", new() { Timeout = Ms(Patience) });
        await WaitLiveAsync(page);

        await WaitReplacedAsync(page, $"host-{Host}-cores");
        await WaitReplacedAsync(page, $"host-{Host}-cores");
        Assert.Equal("same document", await WindowMarkAsync(page));
    }

    [Fact]
    public async Task Stopping_the_collector_marks_its_host_stale_within_three_intervals_and_live_when_it_returns()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await OpenLiveAsync(context, fixture.FrontDoor);
        var state = $"host-{Host}-state";
        await WaitTextAsync(page, state, "live");

        // As the collector's Stop and Start buttons in the dashboard do.
        await fixture.CommandAsync("collector", KnownResourceCommands.StopCommand);
        try
        {
            // Product guarantee: stale within 3 intervals (1.5 s); the rest is slack for the
            // half-second state watcher, the push and a loaded machine.
            await WaitTextAsync(page, state, "stale", 3 * ClusterFixture.CollectorInterval + TimeSpan.FromSeconds(8.5));
        }
        finally
        {
            await fixture.CommandAsync("collector", KnownResourceCommands.StartCommand);
        }

        await WaitTextAsync(page, state, "live");
    }
}
