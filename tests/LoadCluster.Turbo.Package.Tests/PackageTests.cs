using System.Diagnostics;
using System.IO.Compression;
using LoadCluster.Testing;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Package.Tests;

/// <summary>
/// The package as a newcomer gets it: <c>dotnet pack</c>, a fresh app outside this repository (no
/// Directory.Build.props, no project reference) that follows the README's quick start and takes
/// the package from a local folder feed, built and run as its own process, then a page in Chromium.
/// </summary>
public sealed class PackageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("loadcluster-turbo-package-");

    [Fact]
    public async Task A_fresh_app_consuming_the_package_serves_its_scripts_from_content_and_gets_a_push()
    {
        // A version of its own per run, so no NuGet cache can hand back an older package.
        var version = $"0.2.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Directory.CreateDirectory(Path.Combine(_work.FullName, "feed")).FullName;
        await RunAsync(Checkout.Root, "pack", "src/LoadCluster.Turbo", "-c", Checkout.Configuration, "--no-build", "-o", feed, $"-p:Version={version}");
        var package = Assert.Single(Directory.GetFiles(feed, "*.nupkg"));
        Assert.EndsWith($"LoadCluster.Turbo.{version}.nupkg", package, StringComparison.Ordinal);
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("staticwebassets/turbo-stream-sources.js", entries);
            Assert.Contains("staticwebassets/lib/turbo.es2017-umd.js", entries);
            Assert.DoesNotContain(entries, e => e.Contains("signalr", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("README.md", entries);
            Assert.Contains("CHANGELOG.md", entries);
            Assert.DoesNotContain(entries, e => e.EndsWith("package.json", StringComparison.Ordinal) || e.EndsWith("package-lock.json", StringComparison.Ordinal));
        }

        var app = CreateFreshApp();
        await RunAsync(app, "build", "-c", "Release", $"-p:TurboVersion={version}");
        var output = Path.Combine(app, "bin", "Release", "net10.0");
        Assert.False(File.Exists(Path.Combine(output, "package.json")), "the library's package.json leaked into the app's output");
        Assert.False(File.Exists(Path.Combine(output, "package-lock.json")), "the library's package-lock.json leaked into the app's output");

        await using var running = await AppProcess.StartAsync(Path.Combine(output, "FreshApp.dll"), app);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var script in new[] { "turbo-stream-sources.js", "lib/turbo.es2017-umd.js" })
        {
            using var response = await http.GetAsync(running.Url($"/_content/LoadCluster.Turbo/{script}"));
            Assert.True(response.IsSuccessStatusCode, $"{script}: {(int)response.StatusCode}");
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }

        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(running.Url("/"));
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.turboConnection === 'live'", null, new() { Timeout = 30_000, PollingInterval = 50 });
        using var push = await http.PostAsync(running.Url("/push"), null);
        Assert.True(push.IsSuccessStatusCode, running.Output);
        await page.WaitForSelectorAsync("#pushed", new() { Timeout = 30_000 });
        Assert.Equal("from the package", await page.InnerTextAsync("#pushed"));
        // The quick start's form: an anti-forgery token, answered with a stream.
        await page.FillAsync("#words", "<b>hello</b>");
        await page.ClickAsync("#say");
        await page.WaitForSelectorAsync("#said li", new() { Timeout = 30_000 });
        Assert.Equal("<b>hello</b>", await page.InnerTextAsync("#said li"));

        // The same build output outside Development: MapStaticAssets knows the scripts from the build's
        // manifest but cannot find them, and answers an empty 200. The app says at start what to do.
        await using var production = await AppProcess.StartAsync(Path.Combine(output, "FreshApp.dll"), app, environment: new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Turbo__SigningKey"] = "package-tests-signing-key-0123456789-abcdef",
        });
        using var empty = await http.GetAsync(production.Url("/_content/LoadCluster.Turbo/turbo-stream-sources.js"));
        Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
        await Wait.UntilAsync(() => production.Output.Contains("UseStaticWebAssets()", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the app logged what to do");
        Assert.Contains("turbo-stream-sources.js is not in the web root", production.Output, StringComparison.Ordinal);
    }

    /// <summary>Copies FreshApp/ (the README's quick start) into the work folder, beside the feed.</summary>
    private string CreateFreshApp()
    {
        var app = Directory.CreateDirectory(Path.Combine(_work.FullName, "FreshApp")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FreshApp")))
        {
            var text = File.ReadAllText(file).Replace("$(MachinePackages)", MachinePackages(), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(app, Path.GetFileName(file)), text);
        }
        // The feed is "feed" next to nuget.config, which is in the app folder.
        Directory.Move(Path.Combine(_work.FullName, "feed"), Path.Combine(app, "feed"));
        return app;
    }

    private static string MachinePackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static async Task RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {BuildTimeout.TotalMinutes} min.");
        }
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    public void Dispose() => _work.Delete(recursive: true);
}
