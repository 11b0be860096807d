using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// The page helpers, Turbo's own &lt;turbo-stream-source&gt; and turbo-stream-sources.js in a real
/// Chromium against a real Kestrel app: pushes reach the page over its sockets (or event streams),
/// forms answered with streams update it in place, the state indicator follows the server going
/// away and coming back, and Turbo Drive visits move the page's connections with it.
/// </summary>
public sealed class TurboClientBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Source = "turbo-stream-source";

    [Fact]
    public async Task A_push_to_a_stream_changes_the_page_over_its_socket_after_the_state_came_first()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await ExpectTextAsync(page, "#news-state", "first");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1 && app.Push.LocalSubscriberCount("news") == 1,
            "the page's sockets joined board and news");
        Assert.Equal(3, app.Push.LocalConnectionCount); // its own, board, news

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
    public async Task A_page_on_server_sent_events_gets_the_state_pushes_and_pushes_to_all_and_opens_no_websocket()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        var sockets = 0;
        page.WebSocket += (_, _) => sockets++;

        await page.GotoAsync(app.Url("/event-stream"));
        await ExpectStateAsync(page, "live");
        await ExpectTextAsync(page, "#news-state", "first"); // the current state, sent first
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1, "the page's event stream joined board");

        await app.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"pushed\">over server-sent events</li>").ToString());
        await page.WaitForSelectorAsync("#items #pushed", new() { Timeout = Ms(Patience) });
        await app.Push.ToAllAsync(TurboStream.Append("items", "<li class=\"to-all\">to all</li>"));
        await page.WaitForSelectorAsync("#items .to-all", new() { Timeout = Ms(Patience) });

        Assert.Equal("over server-sent events", await page.InnerTextAsync("#pushed"));
        Assert.Equal(1, await page.Locator("#items .to-all").CountAsync()); // once: only the page's own connection gets pushes to all
        Assert.Equal(0, sockets);
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task A_page_shows_live_even_when_its_sockets_open_before_the_script_runs()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        // Our script held back, as a slow network or a busy machine may hold it: Turbo's elements open
        // their sockets and render the state before it runs, so it has missed their "open" events.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/turbo-stream-sources.js", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        var navigation = page.GotoAsync(app.Url("/"));
        await ExpectTextAsync(page, "#news-state", "first");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1 && app.Push.LocalSubscriberCount("news") == 1,
            "the page's sockets joined board and news");
        release.SetResult();
        await navigation;

        await ExpectStateAsync(page, "live");
        Assert.Equal(["live", "live", "live"], await page.EvalOnSelectorAllAsync<string[]>(Source, "sources => sources.map(s => s.getAttribute('connection-state'))"));
        Assert.Empty(pageErrors);
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
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("board") == 1, "the page listens to board");
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
    public async Task State_shows_reconnecting_while_the_server_is_gone_and_live_with_the_state_again_when_it_returns()
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
        await ExpectTextAsync(page, "#news-state", "second"); // reconnected, and the current state came first
        await WaitUntilAsync(() => second.Push.LocalSubscriberCount("board") == 1, "the page listens to board again");
        await second.Push.ToStreamsAsync(["board"], TurboStream.Append("items", "<li id=\"after-restart\">back</li>").ToString());
        await page.WaitForSelectorAsync("#after-restart", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task A_Drive_visit_keeps_the_document_and_moves_the_page_connections_to_the_new_page_streams()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await page.EvaluateAsync("() => { window.marker = 'same document'; }");

        await page.ClickAsync("#to-second");
        await page.WaitForSelectorAsync("#second-target", new() { State = WaitForSelectorState.Attached, Timeout = Ms(Patience) });
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.marker ?? null"));
        await ExpectStateAsync(page, "live");
        await WaitUntilAsync(() => app.Push.LocalSubscriberCount("second") == 1 && app.Push.LocalSubscriberCount("board") == 0 && app.Push.LocalConnectionCount == 2,
            "the second page listens to its stream (and has its own connection), the first page's are closed");

        await app.Push.ToStreamsAsync(["second"], TurboStream.Update("second-target", "<p id=\"second-pushed\">hello</p>").ToString());
        await page.WaitForSelectorAsync("#second-pushed", new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task The_layouts_own_connection_gets_pushes_to_all_and_to_its_user_once()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { [TestUsers.Header] = "alice" } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/"));
        await ExpectStateAsync(page, "live");
        await WaitUntilAsync(() => app.Push.LocalConnectionCount == 3, "the page's three connections are open");

        await app.Push.ToAllAsync(TurboStream.Append("items", "<li class=\"to-all\">everyone</li>"));
        await app.Push.ToUsersAsync("alice", TurboStream.Append("items", "<li class=\"to-alice\">alice</li>"));
        await page.WaitForSelectorAsync("#items .to-alice", new() { Timeout = Ms(Patience) });

        // The user push came after the push to all on the same connection: both are in, once each.
        Assert.Equal(1, await page.Locator("#items .to-all").CountAsync());
        Assert.Equal(1, await page.Locator("#items .to-alice").CountAsync());
    }

    [Fact]
    public async Task A_forged_stream_name_never_goes_live_and_holds_no_connection()
    {
        await using var app = await BrowserTestApp.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(app.Url("/forged"));

        await ExpectStateAsync(page, "reconnecting");
        Assert.Equal(0, app.Push.LocalConnectionCount);
        Assert.Equal(0, app.Push.LocalSubscriberCount("board"));
    }

    /// <summary>Waits until the page and every stream element on it show one of <paramref name="states"/>.</summary>
    private static async Task ExpectStateAsync(IPage page, params string[] states)
    {
        try
        {
            await page.WaitForFunctionAsync("""
                ([states, name]) => states.includes(document.documentElement.dataset.turboConnection)
                  && [...document.querySelectorAll(name)].every(e => states.includes(e.getAttribute("connection-state")))
                """, new object[] { states, Source }, new() { Timeout = Ms(Patience), PollingInterval = 100 });
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

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Wait.UntilAsync(condition, Patience, what);

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
