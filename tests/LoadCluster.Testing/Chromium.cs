namespace LoadCluster.Testing;

/// <summary>Debian's Chromium, as the browser tests launch it through Playwright (we never download a browser).</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Playwright already passes --headless, --no-sandbox and a fresh --user-data-dir of its own.
    // Without the background-networking flags Chromium keeps dialling out, and this machine refuses.
    public static readonly string[] Args =
    [
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Fails with the install hint when Chromium is missing.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}: run 'apt-get install -y chromium' (the README's test command does).");
    }
}
