using System.Diagnostics;
using Xunit.Abstractions;

namespace LoadCluster.Packaging.Tests;

/// <summary>
/// The collector's Debian package on a clean Debian 12 host with systemd: installed with dpkg, its
/// unit started by the package's own scripts, the host seen on a real board (a Web replica and
/// Redis on this machine), then removed and purged without a trace.
/// </summary>
public sealed class DebianPackageTests(ITestOutputHelper output)
{
    private const string Unit = "loadcluster-collector.service";
    private const string User = "loadcluster-collector";
    private const string EnvFile = "/etc/loadcluster/collector.env";

    [Fact]
    public async Task Package_runs_its_hardened_service_on_the_hosts_enrollment_over_tls_on_a_real_board_and_purge_leaves_nothing()
    {
        var deb = await CollectorPackage.PathAsync();
        // The fleet's trust model: Redis TLS-only with users (default off); the web replicas on their user.
        using var tls = new TestTls();
        await using var redis = await TestRedis.StartAsync(acl: true, tls: tls);
        var webEnv = await EnrollAsync(redis, tls, "web", "add", "--ca-file", tls.CaFile);
        await using var web = await StartWebAsync(webEnv);
        await using var host = await DebianHost.StartAsync();
        var before = await host.SnapshotAsync();

        var install = (await host.InstallAsync(deb)).Check();
        Assert.Contains($"write this host's enrollment output to {EnvFile}", install.Output, StringComparison.Ordinal);
        Assert.Equal("enabled", (await host.ShellAsync($"systemctl is-enabled {Unit}")).Trim());
        // Not enrolled yet: the unit's condition keeps it inactive rather than failing in a loop.
        Assert.Equal("ConditionResult=no", (await host.ShellAsync($"systemctl show -p ConditionResult {Unit}")).Trim());

        // Enrollment: the tool's output is the host's settings file, readable by root and the service only.
        var name = $"pkg-{Guid.NewGuid():N}"[..16];
        var enrollment = await EnrollAsync(redis, tls, "hosts", "add", name);
        var password = ConfigurationOptionsPassword(enrollment);
        (await host.RunAsync(["install", "-m", "0644", "/dev/stdin", "/etc/loadcluster/redis-ca.crt"], stdin: await File.ReadAllTextAsync(tls.CaFile))).Check();
        (await host.RunAsync(["install", "-m", "0640", "-o", "root", "-g", User, "/dev/stdin", EnvFile], stdin: enrollment)).Check();
        Assert.Equal($"640 root:{User}", (await host.ShellAsync($"stat -c '%a %U:%G' {EnvFile}")).Trim());

        // Configuration management's check, as the unit's user with the unit's environment file.
        var check = (await host.RunAsync("runuser", "-u", User, "--", "/usr/bin/loadcluster-collector", "--check")).Check();
        Assert.Contains($"(user loadcluster.host.{name})", check.Output, StringComparison.Ordinal);
        Assert.Contains($"\"host\":\"{name}\"", check.Output, StringComparison.Ordinal);
        Assert.Contains("check passed", check.Output, StringComparison.Ordinal);

        await host.ShellAsync($"systemctl restart {Unit}");
        Assert.Equal("active", (await host.ShellAsync($"systemctl is-active {Unit}")).Trim());
        await WaitForHostOnBoardAsync(web, name);
        var pid = (await host.ShellAsync($"systemctl show -p MainPID --value {Unit}")).Trim();
        Assert.Equal(User, (await host.ShellAsync($"stat -c %U /proc/{pid}")).Trim());
        // The password is in neither the command line (ps) nor the environment of the service.
        Assert.DoesNotContain(password, await host.ShellAsync($"tr '\\0' ' ' </proc/{pid}/cmdline; tr '\\0' ' ' </proc/{pid}/environ"), StringComparison.Ordinal);
        output.WriteLine(await host.ShellAsync($"systemctl status --no-pager {Unit} | head -n 12"));

        // Removal stops the service and takes the program; the host's settings stay until purge.
        (await host.RunAsync("dpkg", "-r", "loadcluster-collector")).Check();
        Assert.Equal("0", (await host.ShellAsync($"systemctl show -p MainPID --value {Unit}")).Trim());
        Assert.False((await host.RunAsync("test", "-e", "/usr/bin/loadcluster-collector")).Succeeded);
        Assert.True((await host.RunAsync("test", "-s", EnvFile)).Succeeded);

        // Purge takes the settings and the user; the CA file, which the operator put there, is theirs to remove.
        (await host.RunAsync("dpkg", "-P", "loadcluster-collector")).Check();
        Assert.True((await host.RunAsync("test", "-e", "/etc/loadcluster/redis-ca.crt")).Succeeded);
        await host.ShellAsync("rm /etc/loadcluster/redis-ca.crt && rmdir /etc/loadcluster");
        var after = await host.SnapshotAsync();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Unit_passes_systemd_analyze_verify_and_its_security_exposure_is_low()
    {
        await using var host = await DebianHost.StartAsync();
        (await host.InstallAsync(await CollectorPackage.PathAsync())).Check();

        var verify = await host.RunAsync("systemd-analyze", "verify", $"/lib/systemd/system/{Unit}");
        Assert.True(verify.Succeeded && verify.Output.Trim().Length == 0, verify.Output);

        var security = (await host.RunAsync("systemd-analyze", "security", "--no-pager", Unit)).Check().Output;
        output.WriteLine(security);
        var overall = security.Split('\n').Single(line => line.Contains("Overall exposure level", StringComparison.Ordinal));
        var exposure = double.Parse(overall.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(exposure <= 2.0, $"exposure {exposure} (README, 'The service's sandbox'): {overall}");
    }

    [Fact]
    public async Task Check_as_the_service_user_names_an_unreadable_proc_and_an_unreadable_environment_file()
    {
        await using var host = await DebianHost.StartAsync();
        (await host.InstallAsync(await CollectorPackage.PathAsync())).Check();
        (await host.RunAsync(["install", "-m", "0640", "-o", "root", "-g", User, "/dev/stdin", EnvFile], stdin: "ConnectionStrings__redis=127.0.0.1:1\n")).Check();
        await host.ShellAsync("mkdir -m 0700 /var/lib/private-proc && cp /proc/loadavg /proc/stat /proc/meminfo /proc/uptime /var/lib/private-proc/");

        var proc = await host.RunAsync(["runuser", "-u", User, "--", "/usr/bin/loadcluster-collector", "--check"],
            environment: new Dictionary<string, string> { ["Collector__ProcPath"] = "/var/lib/private-proc" });
        Assert.Equal(1, proc.ExitCode);
        Assert.Contains("check failed: Cannot use /var/lib/private-proc/loadavg: permission denied", proc.Output, StringComparison.Ordinal);
        Assert.Contains("Collector__ProcPath", proc.Output, StringComparison.Ordinal);

        var file = await host.RunAsync("runuser", "-u", "nobody", "--", "/usr/bin/loadcluster-collector", "--check");
        Assert.Equal(1, file.ExitCode);
        Assert.Contains($"Cannot use the environment file {EnvFile}: permission denied", file.Output, StringComparison.Ordinal);
    }

    /// <summary>Runs the enrollment tool as an operator does (the admin credential in its environment) and returns the environment file it prints.</summary>
    private static async Task<string> EnrollAsync(TestRedis redis, TestTls tls, params string[] args)
    {
        var admin = Path.Combine(Checkout.Root, "src", "LoadCluster.Admin", "bin", Checkout.Configuration, "net10.0", "loadcluster-admin.dll");
        var result = (await CommandLine.RunAsync("dotnet", [admin, .. args], TimeSpan.FromMinutes(1), environment: new Dictionary<string, string?>
        {
            ["ConnectionStrings__redis_admin"] = redis.ConnectionString,
            ["LoadCluster__Redis__CaFile"] = tls.CaFile,
        })).Check();
        return result.Output;
    }

    private static string ConfigurationOptionsPassword(string environmentFile) =>
        StackExchange.Redis.ConfigurationOptions.Parse(environmentFile.Split('\n').Single(line => line.StartsWith("ConnectionStrings__redis=", StringComparison.Ordinal))
            ["ConnectionStrings__redis=".Length..].Trim()).Password!;

    /// <summary>A web replica on the web user's environment file (which names the test CA).</summary>
    private static Task<AppProcess> StartWebAsync(string webEnvironmentFile)
    {
        var project = Path.Combine(Checkout.Root, "src", "LoadCluster.Web");
        return AppProcess.StartAsync(Path.Combine(project, "bin", Checkout.Configuration, "net10.0", "LoadCluster.Web.dll"), project,
            environment: EnvironmentLines(webEnvironmentFile));
    }

    private static Dictionary<string, string> EnvironmentLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>The overview page, as a browser first loads it, lists the host.</summary>
    private static async Task WaitForHostOnBoardAsync(AppProcess web, string name)
    {
        using var http = new HttpClient();
        var page = "";
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(250))
        {
            page = await http.GetStringAsync(web.Url("/"));
            if (page.Contains($"/hosts/{name}", StringComparison.Ordinal)) return;
        }
        Assert.Fail($"{name} did not appear on the board within 30 s. The web replica's output:\n{web.Output}");
    }
}
