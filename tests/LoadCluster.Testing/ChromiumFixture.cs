using Microsoft.Playwright;

namespace LoadCluster.Testing;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright (no browser download: we
/// point Playwright at /usr/bin/chromium). Each test opens its own context, so tests share no state.
/// </summary>
public sealed class ChromiumFixture : Xunit.IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        Chromium.EnsureInstalled();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Args,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
