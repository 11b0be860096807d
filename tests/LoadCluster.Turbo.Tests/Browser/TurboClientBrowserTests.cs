using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// The page helpers and the turbo-signalr-stream-source element in a real Chromium against a real
/// Kestrel app: pushes reach the page, forms answered with streams update it in place, the state
/// indicator follows the server going away and coming back, and Turbo Drive visits keep the connection.
/// </summary>
public sealed class TurboClientBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string StreamElement = "turbo-signalr-stream-source";

    [Fact]
    public async Task Pushed_stream_changes_the_page_and_its_streams_share_one_connection()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1 && app.Push.LocalSubscriberCount("news") == 1,
            "the page subscribed to board and news");
        Assert.Equal(1, app.Push.LocalConnectionCount);

        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"pushed\">from the server</li>").ToString());
        await page.WaitForSelectorAsync("#items #pushed", new() { Timeout = Ms(Patience) });

        await page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryPaths.Artifacts, "turbo-push.png"), FullPage = true });
        Assert.Equal("from the server", await page.InnerTextAsync("#pushed"));
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task The_style_turbo_inserts_for_its_progress_bar_has_the_hash_a_content_security_policy_allows()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        var css = await page.EvaluateAsync<string>("() => [...document.head.querySelectorAll('style')].map(s => s.textContent).find(t => t.includes('.turbo-progress-bar'))");

        Assert.Equal(TurboContentSecurityPolicy.ProgressBarStyleHash,
            $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(css)))}'");
    }

    [Fact]
    public async Task A_page_using_the_event_stream_transport_gets_the_state_and_pushes_without_the_hub()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(app.Url("/event-stream"));
        Assert.Equal(2, await page.Locator("turbo-stream-source[signed-stream-name]").CountAsync());
        Assert.Equal(0, await page.Locator(StreamElement).CountAsync());
        await ExpectTextAsync(page, "#news-state", "first"); // the current state, sent first on subscribe
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1, "the page subscribed to board over the event stream");

        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"pushed\">over server-sent events</li>").ToString());
        await page.WaitForSelectorAsync("#items #pushed", new() { Timeout = Ms(Patience) });

        Assert.Equal("over server-sent events", await page.InnerTextAsync("#pushed"));
        // Its two event streams are its connections: no hub connection besides, which would get
        // every push to all a second time.
        await app.Push.ToAllAsync(TurboStream.Append("items", "<li class=\"to-all\">to all</li>"));
        await page.WaitForSelectorAsync("#items .to-all", new() { Timeout = Ms(Patience) });
        Assert.Equal(2, app.Push.LocalConnectionCount);
        Assert.True(await page.EvaluateAsync<bool>("() => window.TurboSignalR.connection === null"));
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task A_page_on_the_socket_transport_shows_live_even_when_its_sockets_open_before_the_script_runs()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        // Our script held back, as a slow network or a busy machine may hold it: Turbo's elements open
        // their sockets and render the state before it runs, so it has missed their "open" events.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/turbo-signalr.js", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        var navigation = page.GotoAsync(app.Url("/socket"));
        await ExpectTextAsync(page, "#news-state", "first");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1 && app.Push.LocalSubscriberCount("news") == 1,
            "the page's sockets joined board and news");
        release.SetResult();
        await navigation;

        await ExpectStateAsync(page, "live");
        Assert.Equal(["live", "live"], await page.EvalOnSelectorAllAsync<string[]>("turbo-stream-source", "sources => sources.map(s => s.getAttribute('connection-state'))"));
        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"pushed\">over the socket</li>").ToString());
        await page.WaitForSelectorAsync("#items #pushed", new() { Timeout = Ms(Patience) });
        Assert.True(await page.EvaluateAsync<bool>("() => window.TurboSignalR.connection === null"));
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task Stream_stays_subscribed_while_any_element_on_the_page_uses_it()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1, "the page subscribed to board");

        // A second element for the same stream joins, then the first one leaves.
        await page.EvaluateAsync($$"""
            () => {
              const [board] = document.querySelectorAll("{{StreamElement}}");
              document.body.append(board.cloneNode());
              board.remove();
            }
            """);
        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"still-there\">still subscribed</li>").ToString());
        await page.WaitForSelectorAsync("#still-there", new() { Timeout = Ms(Patience) });

        // The last one leaves: the page unsubscribes, the connection stays.
        await page.EvaluateAsync($$"""() => document.querySelectorAll("{{StreamElement}}").forEach(e => e.remove())""");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 0 && app.Push.LocalSubscriberCount("news") == 0,
            "the page unsubscribed from board and news");
        Assert.Equal(1, app.Push.LocalConnectionCount);
    }

    [Fact]
    public async Task State_shows_offline_while_the_browser_is_offline_and_live_when_it_is_back()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");

        await context.SetOfflineAsync(true);
        await ExpectStateAsync(page, "offline");

        await context.SetOfflineAsync(false);
        await ExpectStateAsync(page, "live");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1, "the page subscribed again to board");
        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"back-online\">back</li>").ToString());
        await page.WaitForSelectorAsync("#back-online", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task Form_post_answered_with_a_stream_changes_the_page_without_a_reload()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/"));
        await page.EvaluateAsync("() => { window.marker = 'same document'; }");
        await page.FillAsync("#text", "<b>typed</b>");
        await page.ClickAsync("#submit");

        await page.WaitForSelectorAsync("#items li.item", new() { Timeout = Ms(Patience) });
        Assert.Equal("<b>typed</b>", await page.InnerTextAsync("#items li.item"));
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.marker ?? null"));
    }

    [Fact]
    public async Task State_shows_reconnecting_while_the_server_is_gone_and_live_when_it_returns()
    {
        var first = await BrowserTestApp.StartAsync();
        var port = first.Port;
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(first.Url("/"));
            await ExpectStateAsync(page, "live");
            await ExpectTextAsync(page, "#news-state", "first");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await ExpectStateAsync(page, "reconnecting", "offline");

        await using var second = await BrowserTestApp.StartAsync(port, "second");
        await ExpectStateAsync(page, "live");
        await ExpectTextAsync(page, "#news-state", "second"); // re-subscribed, and the current state came first
        await WaitUntilAsync(() => second.Push.LocalSubscriberCount("board") == 1, "the page subscribed again to board");
        await second.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"after-restart\">back</li>").ToString());
        await page.WaitForSelectorAsync("#after-restart", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task Turbo_Drive_visit_keeps_the_connection_and_swaps_the_page_subscriptions()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await page.EvaluateAsync("() => { window.marker = 'same document'; window.firstConnection = window.TurboSignalR.connection; }");

        await page.ClickAsync("#to-second");
        await page.WaitForSelectorAsync("#second-target", new() { State = WaitForSelectorState.Attached, Timeout = Ms(Patience) });
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.marker ?? null"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.TurboSignalR.connection === window.firstConnection"));

        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("second") == 1 && app.Push.LocalSubscriberCount("board") == 0,
            "the second page subscribed to its stream and the first page's streams were dropped");
        Assert.Equal(1, app.Push.LocalConnectionCount);
        await ExpectStateAsync(page, "live");

        await app.Push.ToStreamsAsync(["second"], TurboStream.Update("second-target", "<p id=\"second-pushed\">hello</p>").ToString());
        await page.WaitForSelectorAsync("#second-pushed", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task Subscriptions_follow_the_page_across_Drive_visits_and_back_with_one_call_per_change()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var hub = HubCalls.Watch(page);

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await ExpectCallsAsync(hub, "Subscribe board", "Subscribe news");
        await ExpectTextAsync(page, "#news-state", "first");

        // "/" has board and news; "/shared" has news and shared.
        await page.ClickAsync("#to-shared");
        await page.WaitForSelectorAsync("#shared-target", new() { State = WaitForSelectorState.Attached, Timeout = Ms(Patience) });
        await ExpectCallsAsync(hub, "Subscribe board", "Subscribe news", "Subscribe shared", "Unsubscribe board");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("shared") == 1 && app.Push.LocalSubscriberCount("board") == 0,
            "the server has the second page's streams");

        // Back: Turbo restores "/" from its cache.
        await page.EvaluateAsync("() => history.back()");
        await page.WaitForSelectorAsync("#items", new() { State = WaitForSelectorState.Attached, Timeout = Ms(Patience) });
        await ExpectCallsAsync(hub, "Subscribe board", "Subscribe news", "Subscribe shared", "Unsubscribe board", "Subscribe board", "Unsubscribe shared");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1 && app.Push.LocalSubscriberCount("shared") == 0 && app.Push.LocalSubscriberCount("news") == 1,
            "the server has the first page's streams again");

        // news stayed subscribed throughout, so its state came once; one connection throughout.
        Assert.Single(hub.Received, markup => markup.Contains("news-state", StringComparison.Ordinal));
        Assert.Equal(1, app.Push.LocalConnectionCount);
        await app.Push.ToStreamsAsync("board", TurboStream.Append("items", "<li id=\"after-back\">back</li>"));
        await page.WaitForSelectorAsync("#after-back", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task A_page_with_only_the_scripts_helper_connects_and_gets_pushes_to_all()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var hub = HubCalls.Watch(page);

        await page.GotoAsync(app.Url("/bare"));
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.turboConnection === 'live'", null, new() { Timeout = Ms(Patience), PollingInterval = 100 });
        await WaitUntilAsync(() => app.Push.LocalConnectionCount == 1, "the page connected");

        await app.Push.ToAllAsync(TurboStream.Update("bare-target", "<p id=\"to-all\">everyone</p>"));

        await page.WaitForSelectorAsync("#to-all", new() { Timeout = Ms(Patience) });
        Assert.Empty(hub.Calls);
    }

    [Fact]
    public async Task Forged_stream_name_is_refused_and_reported_in_the_console()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Subscribe failed", StringComparison.Ordinal)) refused.TrySetResult(message.Text);
        };

        await page.GotoAsync(app.Url("/forged"));
        await ExpectStateAsync(page, "live");

        var error = await refused.Task.WaitAsync(Patience);
        Assert.Contains(StreamElement, error, StringComparison.Ordinal);
        Assert.Equal(0, app.Push.LocalSubscriberCount("board"));
    }

    /// <summary>Waits until the page has sent as many hub calls as expected, then checks they are exactly those (order within one settle pass is free).</summary>
    private static async Task ExpectCallsAsync(HubCalls hub, params string[] expected)
    {
        await WaitUntilAsync(() => hub.Calls.Count >= expected.Length, $"the page sent {expected.Length} hub calls (so far: {string.Join(", ", hub.Calls)})");
        Assert.Equal(expected.Order(StringComparer.Ordinal), hub.Calls.Order(StringComparer.Ordinal));
    }

    /// <summary>Waits until the page and every stream element on it show one of <paramref name="states"/>.</summary>
    private static async Task ExpectStateAsync(IPage page, params string[] states)
    {
        try
        {
            await page.WaitForFunctionAsync("""
                ([states, name]) => states.includes(document.documentElement.dataset.turboConnection)
                  && [...document.querySelectorAll(name)].every(e => states.includes(e.getAttribute("connection-state")))
                """, new object[] { states, StreamElement }, new() { Timeout = Ms(Patience), PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            var actual = await page.EvaluateAsync<string?>("() => document.documentElement.dataset.turboConnection ?? null");
            throw new TimeoutException($"The page did not show connection state {string.Join(" or ", states)} within {Patience.TotalSeconds} s; it shows '{actual}'.");
        }
    }

    private static Task ExpectTextAsync(IPage page, string selector, string text) =>
        page.WaitForFunctionAsync("([selector, text]) => document.querySelector(selector)?.textContent === text",
            new object[] { selector, text }, new() { Timeout = Ms(Patience), PollingInterval = 100 });

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {Patience.TotalSeconds} s waiting until {what}.");
            await Task.Delay(50);
        }
    }

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
