using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Benchmarks;

/// <summary>
/// Debian's Chromium through Playwright, reading the main thread's busy time of a live page from
/// the DevTools protocol (Performance.getMetrics "TaskDuration": seconds the renderer's main thread
/// spent running tasks: script, style, layout, paint), for a visible page and for a hidden one.
/// </summary>
internal sealed class PageProbe : IAsyncDisposable
{
    private readonly ChromiumFixture _chromium = new();

    private PageProbe()
    {
    }

    public static async Task<PageProbe> StartAsync()
    {
        var probe = new PageProbe();
        await probe._chromium.InitializeAsync();
        return probe;
    }

    /// <summary>Opens <paramref name="url"/>, waits until it is live, then measures for <paramref name="window"/>.</summary>
    /// <returns>
    /// Main-thread busy time as a share of the window (1 = always busy; wall time of its tasks, so it
    /// grows when other processes take the CPU), the CPU the page's renderer processes used (a share
    /// of one core, which contention does not inflate), and the page's load time.
    /// </returns>
    public async Task<(double Busy, double RendererCpu, TimeSpan Load)> MeasureAsync(Uri url, TimeSpan window)
    {
        await using var context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        var page = await context.NewPageAsync();
        var started = DateTime.UtcNow;
        await page.GotoAsync(url.ToString(), new PageGotoOptions { Timeout = 120_000 });
        var load = DateTime.UtcNow - started;
        await page.WaitForSelectorAsync("html[data-turbo-connection=live]", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the subscribe-time state
        var (busy, cpu) = await MeasureWindowAsync(async () => await cdp.SendAsync("Performance.getMetrics") ?? throw new InvalidOperationException("no metrics"), window);
        return (busy, cpu, load);
    }

    /// <summary>
    /// Opens <paramref name="url"/> in a window of its own, waits until it is live, minimizes the
    /// window (Chromium then hides the page itself: visibilityState "hidden", visibilitychange),
    /// waits until every stream connection is closed, then measures for <paramref name="window"/>.
    /// </summary>
    /// <returns>As <see cref="MeasureAsync"/>, and whether every stream connection was still closed at the end.</returns>
    public async Task<(double Busy, double RendererCpu, bool StayedClosed)> MeasureHiddenAsync(Uri url, TimeSpan window)
    {
        await using var page = await DevToolsTarget.OpenAsync(_chromium.Browser, url);
        await page.WaitForAsync("document.documentElement.dataset.turboConnection === 'live'", TimeSpan.FromSeconds(120));
        await page.SendAsync("Performance.enable");
        await page.MinimizeAsync(true);
        const string closed = "document.visibilityState === 'hidden' && [...document.querySelectorAll('turbo-stream-source')].every(s => s.streamSource.readyState === 3)";
        await page.WaitForAsync(closed, TimeSpan.FromSeconds(30));
        var (busy, cpu) = await MeasureWindowAsync(() => page.SendAsync("Performance.getMetrics"), window);
        return (busy, cpu, await page.IsTrueAsync(closed));
    }

    /// <summary>Main-thread busy time (from <paramref name="metrics"/>) and renderer CPU over <paramref name="window"/>, as shares of it.</summary>
    private static async Task<(double Busy, double RendererCpu)> MeasureWindowAsync(Func<Task<System.Text.Json.JsonElement>> metrics, TimeSpan window)
    {
        var before = TaskDuration(await metrics());
        var cpuBefore = RendererCpu();
        var clock = DateTime.UtcNow;
        await Task.Delay(window);
        var seconds = (DateTime.UtcNow - clock).TotalSeconds;
        return ((TaskDuration(await metrics()) - before) / seconds, (RendererCpu() - cpuBefore).TotalSeconds / seconds);
    }

    /// <summary>CPU time of the Chromium renderers started (through Playwright's driver) by this process.</summary>
    private static TimeSpan RendererCpu()
    {
        var total = TimeSpan.Zero;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (!File.ReadAllText($"{dir}/cmdline").Contains("--type=renderer", StringComparison.Ordinal) || !IsOurs(pid)) continue;
                total += ChildProcess.CpuTime(pid);
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    private static bool IsOurs(int pid)
    {
        for (var depth = 0; pid > 1 && depth < 10; depth++)
        {
            if (pid == Environment.ProcessId) return true;
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return false;
    }

    private static double TaskDuration(System.Text.Json.JsonElement metrics)
    {
        foreach (var metric in metrics.GetProperty("metrics").EnumerateArray())
        {
            if (metric.GetProperty("name").GetString() == "TaskDuration") return metric.GetProperty("value").GetDouble();
        }
        throw new InvalidOperationException("Chromium reported no TaskDuration");
    }

    public async ValueTask DisposeAsync() => await _chromium.DisposeAsync();
}
