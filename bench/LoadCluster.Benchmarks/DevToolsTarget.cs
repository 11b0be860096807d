using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace LoadCluster.Benchmarks;

/// <summary>
/// A page in a window of its own, made and driven through the DevTools protocol on the browser's
/// session rather than as a Playwright page: Playwright turns on focus emulation for its pages, which
/// keeps them visible whatever happens to their window, so a Playwright page can never be hidden the
/// way a browser hides a tab. This one can: minimizing its window makes Chromium itself set
/// visibilityState "hidden" and fire visibilitychange.
/// </summary>
internal sealed class DevToolsTarget : IAsyncDisposable
{
    private readonly ICDPSession _browser;
    private readonly string _targetId;
    private readonly string _sessionId;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private int _nextId;

    private DevToolsTarget(ICDPSession browser, string targetId, string sessionId)
    {
        _browser = browser;
        _targetId = targetId;
        _sessionId = sessionId;
        // Not flattened: the page's answers arrive as events of the browser's session.
        browser.Event("Target.receivedMessageFromTarget").OnEvent += (_, e) =>
        {
            if (e is not { } message || message.GetProperty("sessionId").GetString() != _sessionId) return;
            using var doc = JsonDocument.Parse(message.GetProperty("message").GetString()!);
            if (!doc.RootElement.TryGetProperty("id", out var id) || !_pending.TryRemove(id.GetInt32(), out var reply)) return;
            if (doc.RootElement.TryGetProperty("error", out var error)) reply.TrySetException(new InvalidOperationException(error.ToString()));
            else reply.TrySetResult(doc.RootElement.GetProperty("result").Clone());
        };
    }

    /// <summary>Opens <paramref name="url"/> in a new window of a fresh browser context.</summary>
    public static async Task<DevToolsTarget> OpenAsync(IBrowser browser, Uri url)
    {
        var cdp = await browser.NewBrowserCDPSessionAsync();
        var context = (await cdp.SendAsync("Target.createBrowserContext", new() { ["disposeOnDetach"] = true }))!.Value.GetProperty("browserContextId").GetString()!;
        var target = (await cdp.SendAsync("Target.createTarget", new() { ["url"] = "about:blank", ["browserContextId"] = context, ["newWindow"] = true }))!.Value.GetProperty("targetId").GetString()!;
        var session = (await cdp.SendAsync("Target.attachToTarget", new() { ["targetId"] = target, ["flatten"] = false }))!.Value.GetProperty("sessionId").GetString()!;
        var page = new DevToolsTarget(cdp, target, session);
        await page.SendAsync("Page.navigate", new { url = url.ToString() });
        return page;
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _browser.SendAsync("Target.sendMessageToTarget", new()
        {
            ["sessionId"] = _sessionId,
            ["message"] = JsonSerializer.Serialize(new { id, method, @params = parameters ?? new { } }),
        });
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Whether a JavaScript condition holds in the page (false while it throws, as it may while the page loads).</summary>
    public async Task<bool> IsTrueAsync(string condition)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression = $"!!({condition})", returnByValue = true });
        return !result.TryGetProperty("exceptionDetails", out _) && result.GetProperty("result").TryGetProperty("value", out var value) && value.GetBoolean();
    }

    /// <summary>Evaluates <paramref name="condition"/> every 100 ms until it is true.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await IsTrueAsync(condition))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not true after {timeout.TotalSeconds:0} s: {condition}");
            await Task.Delay(100);
        }
    }

    /// <summary>Minimizes (or restores) the page's window, as a user does.</summary>
    public async Task MinimizeAsync(bool minimized)
    {
        var window = (await _browser.SendAsync("Browser.getWindowForTarget", new() { ["targetId"] = _targetId }))!.Value.GetProperty("windowId").GetInt32();
        await _browser.SendAsync("Browser.setWindowBounds", new() { ["windowId"] = window, ["bounds"] = new { windowState = minimized ? "minimized" : "normal" } });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.SendAsync("Target.closeTarget", new() { ["targetId"] = _targetId });
        await _browser.DetachAsync();
    }
}
