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
    public async Task Package_runs_its_hardened_service_on_a_real_board_and_purge_leaves_nothing()
    {
        var deb = await CollectorPackage.PathAsync();
        const string Password = "not-in-ps-or-environ";
        await using var redis = await TestRedis.StartAsync();
        await redis.CliAsync("CONFIG", "SET", "requirepass", Password);
        await using var web = await StartWebAsync($"{redis.ConnectionString},password={Password}");
        await using var host = await DebianHost.StartAsync();
        var before = await host.SnapshotAsync();

        var install = (await host.InstallAsync(deb)).Check();
        Assert.Contains($"write this host's enrollment output to {EnvFile}", install.Output, StringComparison.Ordinal);
        Assert.Equal("enabled", (await host.ShellAsync($"systemctl is-enabled {Unit}")).Trim());
        // Not enrolled yet: the unit's condition keeps it inactive rather than failing in a loop.
        Assert.Equal("ConditionResult=no", (await host.ShellAsync($"systemctl show -p ConditionResult {Unit}")).Trim());

        // Enrollment: the host's settings, readable by root and the service only.
        var name = $"pkg-{Guid.NewGuid():N}"[..16];
        (await host.RunAsync(["install", "-m", "0640", "-o", "root", "-g", User, "/dev/stdin", EnvFile],
            stdin: $"ConnectionStrings__redis=127.0.0.1:{redis.Port},password={Password}\nCollector__Host={name}\n")).Check();
        Assert.Equal($"640 root:{User}", (await host.ShellAsync($"stat -c '%a %U:%G' {EnvFile}")).Trim());

        // Configuration management's check, as the unit's user with the unit's environment file.
        var check = (await host.RunAsync("runuser", "-u", User, "--", "/usr/bin/loadcluster-collector", "--check")).Check();
        Assert.Contains($"\"host\":\"{name}\"", check.Output, StringComparison.Ordinal);
        Assert.Contains("check passed", check.Output, StringComparison.Ordinal);

        await host.ShellAsync($"systemctl restart {Unit}");
        Assert.Equal("active", (await host.ShellAsync($"systemctl is-active {Unit}")).Trim());
        await WaitForHostOnBoardAsync(web, name);
        var pid = (await host.ShellAsync($"systemctl show -p MainPID --value {Unit}")).Trim();
        Assert.Equal(User, (await host.ShellAsync($"stat -c %U /proc/{pid}")).Trim());
        // The password is in neither the command line (ps) nor the environment of the service.
        Assert.DoesNotContain(Password, await host.ShellAsync($"tr '\\0' ' ' </proc/{pid}/cmdline; tr '\\0' ' ' </proc/{pid}/environ"), StringComparison.Ordinal);
        output.WriteLine(await host.ShellAsync($"systemctl status --no-pager {Unit} | head -n 12; ps -o pid,user,rss,args -p {pid} 2>/dev/null || true"));

        // Removal stops the service and takes the program; the host's settings stay until purge.
        (await host.RunAsync("dpkg", "-r", "loadcluster-collector")).Check();
        Assert.Equal("0", (await host.ShellAsync($"systemctl show -p MainPID --value {Unit}")).Trim());
        Assert.False((await host.RunAsync("test", "-e", "/usr/bin/loadcluster-collector")).Succeeded);
        Assert.True((await host.RunAsync("test", "-s", EnvFile)).Succeeded);

        (await host.RunAsync("dpkg", "-P", "loadcluster-collector")).Check();
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

    private static Task<AppProcess> StartWebAsync(string redis)
    {
        var project = Path.Combine(Checkout.Root, "src", "LoadCluster.Web");
        return AppProcess.StartAsync(Path.Combine(project, "bin", Checkout.Configuration, "net10.0", "LoadCluster.Web.dll"), project,
            [$"--ConnectionStrings:redis={redis}"]);
    }

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
