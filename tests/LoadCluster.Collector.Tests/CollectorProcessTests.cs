using System.Diagnostics;
using LoadCluster.Testing;

namespace LoadCluster.Collector.Tests;

/// <summary>
/// The built Collector run as its own process, as the AppHost and the container run it, and as
/// configuration management runs <c>--check</c>. (The Native AOT executable of the Debian package
/// is run by LoadCluster.Packaging.Tests.)
/// </summary>
public sealed class CollectorProcessTests(SharedRedis shared) : IClassFixture<SharedRedis>
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

    [Fact]
    public async Task Version_prints_the_project_version()
    {
        var (exitCode, output) = await RunCollectorAsync([], "--version");
        Assert.Equal(0, exitCode);
        Assert.StartsWith($"loadcluster-collector {CollectorVersion.Number} (", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_on_the_command_line_are_refused_without_echoing_them()
    {
        var (exitCode, output) = await RunCollectorAsync([], "--ConnectionStrings:redis=10.0.0.5,password=hunter2");
        Assert.Equal(2, exitCode);
        Assert.Contains("settings are not taken from the command line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_against_a_good_redis_prints_the_sample_it_would_send_from_the_environment_file_and_exits_0()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, $"# the host's enrollment\nConnectionStrings__redis={shared.ConnectionString}\nCollector__Host=checked-host\nCollector__Interval=00:00:05\n");
            // The environment wins over the file.
            var (exitCode, output) = await RunCollectorAsync(new() { ["ConnectionStrings__redis"] = null, ["Collector__Interval"] = "00:00:02" }, "--check", "--env-file", file);
            Assert.True(exitCode == 0, output);
            Assert.Contains($"settings: {file} and the environment", output, StringComparison.Ordinal);
            Assert.Contains("host checked-host, every 00:00:02, from /proc", output, StringComparison.Ordinal);
            Assert.Contains($"redis: connected to 127.0.0.1:{shared.Redis.Port}", output, StringComparison.Ordinal);
            Assert.Contains("would publish every 00:00:02 on loadcluster:samples", output, StringComparison.Ordinal);
            Assert.Contains("{\"v\":1,\"host\":\"checked-host\",", output, StringComparison.Ordinal);
            Assert.EndsWith("check passed", output.TrimEnd(), StringComparison.Ordinal);
            // It only looked: nothing was written.
            Assert.Equal("", await shared.Redis.CliAsync("GET", "loadcluster:latest:checked-host"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Check_against_a_redis_that_wants_another_password_exits_1_saying_authentication_failed()
    {
        await using var redis = await TestRedis.StartAsync();
        await redis.CliAsync("CONFIG", "SET", "requirepass", "the-right-one");
        var (exitCode, output) = await RunCollectorAsync(new() { ["ConnectionStrings__redis"] = $"{redis.ConnectionString},password=a-wrong-one" }, "--check");
        Assert.Equal(1, exitCode);
        Assert.Contains($"check failed: Cannot connect to Redis at 127.0.0.1:{redis.Port}", output, StringComparison.Ordinal);
        Assert.Contains("AuthenticationFailure", output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-wrong-one", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_against_no_redis_exits_1_saying_the_connection_was_refused()
    {
        var port = FreePort.Next();
        var (exitCode, output) = await RunCollectorAsync(new() { ["ConnectionStrings__redis"] = $"127.0.0.1:{port}" }, "--check");
        Assert.Equal(1, exitCode);
        Assert.Contains($"check failed: Cannot connect to Redis at 127.0.0.1:{port} within 10 s (UnableToConnect: Connection refused)", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__redis", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_a_bad_interval_exits_1_naming_the_setting()
    {
        var (exitCode, output) = await RunCollectorAsync(new() { ["Collector__Interval"] = "02:00:00" }, "--check");
        Assert.Equal(1, exitCode);
        Assert.Contains("check failed:", output, StringComparison.Ordinal);
        Assert.Contains("Collector__Interval", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_an_unusable_proc_exits_1_naming_the_file()
    {
        var proc = Fixture.CopyOfReal(without: "meminfo");
        try
        {
            // Root reads any file, so meminfo is made unreadable in a way root cannot read either: a folder (the packaged
            // collector, run as its own user, meets a real permission: LoadCluster.Packaging.Tests).
            Directory.CreateDirectory(Path.Combine(proc.FullName, "meminfo"));
            var (exitCode, output) = await RunCollectorAsync(new() { ["Collector__ProcPath"] = proc.FullName }, "--check");
            Assert.Equal(1, exitCode);
            Assert.Contains($"check failed: Cannot use {Path.Combine(proc.FullName, "meminfo")}: permission denied", output, StringComparison.Ordinal);
        }
        finally
        {
            proc.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_named_environment_file_that_is_missing_stops_it_naming_the_file()
    {
        var (exitCode, output) = await RunCollectorAsync([], "--env-file", "/nonexistent/collector.env");
        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot use the environment file /nonexistent/collector.env: no such file", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunCollectorAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LoadCluster.Collector.dll"));
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        // Nothing listens on port 1: runs that are not about Redis fail before they need it.
        psi.Environment["ConnectionStrings__redis"] = "127.0.0.1:1";
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (key, value) in environment)
        {
            if (value is null) psi.Environment.Remove(key); // not set at all, unlike ""
            else psi.Environment[key] = value;
        }
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
