using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Connections;

/// <summary>MapTurbo says at start, as an error naming the fix, when the page scripts would be missing.</summary>
public sealed class ScriptsInWebRootTests
{
    [Fact]
    public async Task Without_the_scripts_in_the_web_root_MapTurbo_logs_an_error_that_says_what_to_do()
    {
        var logs = new LogCollector();
        await using var app = await TurboTestApp.StartAsync(builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Environment.WebRootFileProvider = new NullFileProvider();
        }, environment: "Production");

        var error = Assert.Single(logs.WithEventId(2));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("_content/LoadCluster.Turbo/turbo-stream-sources.js is not in the web root", error.Message, StringComparison.Ordinal);
        Assert.Contains("builder.WebHost.UseStaticWebAssets()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_scripts_in_the_web_root_MapTurbo_says_nothing()
    {
        var logs = new LogCollector();
        var root = Directory.CreateTempSubdirectory("turbo-webroot-");
        try
        {
            var scripts = Directory.CreateDirectory(Path.Combine(root.FullName, "_content", "LoadCluster.Turbo")).FullName;
            File.Copy(Path.Combine(Browser.RepositoryPaths.TurboWebRoot, "turbo-stream-sources.js"), Path.Combine(scripts, "turbo-stream-sources.js"));
            await using var app = await TurboTestApp.StartAsync(builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Environment.WebRootFileProvider = new PhysicalFileProvider(root.FullName);
            }, environment: "Production");

            Assert.Empty(logs.WithEventId(2));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
