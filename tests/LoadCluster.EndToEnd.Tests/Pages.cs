using Microsoft.Playwright;

namespace LoadCluster.EndToEnd.Tests;

/// <summary>Browser steps shared by the tests.</summary>
internal static class Pages
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;

    /// <summary>Opens a page through the front door and waits until its stream connection is live.</summary>
    public static async Task<IPage> OpenLiveAsync(IBrowserContext context, Uri url)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await WaitLiveAsync(page);
        return page;
    }

    public static Task WaitLiveAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.documentElement.dataset.turboConnection === 'live'", null, new() { Timeout = Ms(Patience) });

    /// <summary>Waits until the element's text is <paramref name="text"/>.</summary>
    public static Task WaitTextAsync(IPage page, string id, string text, TimeSpan? timeout = null) =>
        page.WaitForFunctionAsync(
            "([id, text]) => document.getElementById(id)?.textContent.trim() === text",
            new[] { id, text },
            new() { Timeout = Ms(timeout ?? Patience) });

    /// <summary>Waits until the element with this id is a different node than now: a pushed stream replaced it, no reload.</summary>
    public static async Task WaitReplacedAsync(IPage page, string id)
    {
        await page.WaitForSelectorAsync("#" + id, new() { Timeout = Ms(Patience) });
        await page.EvaluateAsync("id => { window.__e2eWatched = document.getElementById(id); }", id);
        await page.WaitForFunctionAsync(
            "id => { const e = document.getElementById(id); return e !== null && e !== window.__e2eWatched; }",
            id,
            new() { Timeout = Ms(Patience) });
    }

    /// <summary>Marks the window; the mark survives Turbo Drive visits and stream updates, not reloads.</summary>
    public static Task MarkWindowAsync(IPage page) => page.EvaluateAsync("() => { window.__e2eMarker = 'same document'; }");

    public static Task<string?> WindowMarkAsync(IPage page) => page.EvaluateAsync<string?>("() => window.__e2eMarker ?? null");
}
