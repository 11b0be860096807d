using System.Diagnostics;

namespace LoadCluster.Collector.Tests;

/// <summary>The built Collector run as its own process, as the AppHost and the container run it.</summary>
public sealed class CollectorProcessTests
{
    [Fact]
    public async Task Missing_proc_file_exits_non_zero_with_a_message_naming_the_file()
    {
        var proc = Fixture.CopyOfReal(without: "stat");
        try
        {
            var (exitCode, output) = await RunCollectorAsync(new() { ["Collector__ProcPath"] = proc.FullName });
            Assert.Equal(1, exitCode);
            Assert.Contains(Path.Combine(proc.FullName, "stat") + ": file not found", output, StringComparison.Ordinal);
            Assert.Contains("Collector__ProcPath", output, StringComparison.Ordinal);
        }
        finally
        {
            proc.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Out_of_range_interval_exits_non_zero_with_a_message_naming_the_setting()
    {
        var (exitCode, output) = await RunCollectorAsync(new() { ["Collector__Interval"] = "00:00:00.010" });
        Assert.Equal(1, exitCode);
        Assert.Contains("Collector:Interval", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_redis_connection_string_exits_non_zero_naming_the_setting()
    {
        var (exitCode, output) = await RunCollectorAsync(new() { ["ConnectionStrings__redis"] = "" });
        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings__redis", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunCollectorAsync(Dictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LoadCluster.Collector.dll"));
        // Nothing listens on port 1: these runs must fail before they need Redis.
        psi.Environment["ConnectionStrings__redis"] = "127.0.0.1:1";
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
