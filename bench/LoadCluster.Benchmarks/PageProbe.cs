using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Benchmarks;

/// <summary>
/// Debian's Chromium through Playwright, reading the main thread's busy time of a live page from
/// the DevTools protocol (Performance.getMetrics "TaskDuration": seconds the renderer's main thread
/// spent running tasks: script, style, layout, paint).
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
        var before = await TaskDurationAsync(cdp);
        var cpuBefore = RendererCpu();
        var clock = DateTime.UtcNow;
        await Task.Delay(window);
        var seconds = (DateTime.UtcNow - clock).TotalSeconds;
        var busy = (await TaskDurationAsync(cdp) - before) / seconds;
        return (busy, (RendererCpu() - cpuBefore).TotalSeconds / seconds, load);
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

    private static async Task<double> TaskDurationAsync(ICDPSession cdp)
    {
        var result = await cdp.SendAsync("Performance.getMetrics") ?? throw new InvalidOperationException("no metrics");
        foreach (var metric in result.GetProperty("metrics").EnumerateArray())
        {
            if (metric.GetProperty("name").GetString() == "TaskDuration") return metric.GetProperty("value").GetDouble();
        }
        throw new InvalidOperationException("Chromium reported no TaskDuration");
    }

    public async ValueTask DisposeAsync() => await _chromium.DisposeAsync();
}
