using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LoadCluster.Testing;

namespace LoadCluster.AppHost.Tests;

/// <summary>Runs the launcher as a user would, as its own process, and stops it with Ctrl+C (SIGINT).</summary>
[Collection(RealClusterCollection.Name)]
public partial class AppHostProcessTests
{
    [Fact]
    public async Task Launcher_comes_up_behind_nginx_and_leaves_no_process_after_ctrl_c()
    {
        var port = FreePort.Next();
        var log = new LineLog();
        using var launcher = StartLauncher(log, "--replicas", "2", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var pids = new List<int>();
        try
        {
            await log.WaitForAsync(l => l == $"LoadCluster is up at http://127.0.0.1:{port}", TimeSpan.FromSeconds(120));

            foreach (var name in new[] { "redis", "collector", "web-1", "web-2", "nginx" })
            {
                var row = await log.WaitForAsync(l => l.StartsWith(name + " ", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
                pids.Add(int.Parse(TableRowPid().Match(row).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            using var http = new HttpClient();
            using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            using (var kill = Process.Start("kill", ["-INT", launcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await launcher.WaitForExitAsync(exited.Token);

            Assert.Equal(0, launcher.ExitCode);
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} is still running"));
        }
        finally
        {
            if (!launcher.HasExited) launcher.Kill(entireProcessTree: true);
            foreach (var pid in pids.Where(IsAlive))
            {
                try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { }
            }
        }
    }

    [Fact]
    public async Task Bad_option_prints_usage_and_exits_2()
    {
        var log = new LineLog();
        using var launcher = StartLauncher(log, "--replicas", "zero");
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await launcher.WaitForExitAsync(exited.Token);

        Assert.Equal(2, launcher.ExitCode);
        Assert.Contains("error: --replicas must be a whole number from 1 to 64 (got 'zero')", log.Lines);
        Assert.Contains(log.Lines, l => l.StartsWith("Usage:", StringComparison.Ordinal));
    }

    private static Process StartLauncher(LineLog log, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LoadCluster.AppHost.dll"));
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment.Remove("ConnectionStrings__redis");
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    // "web-1      http://127.0.0.1:44877/   31987": the pid is the last column.
    [GeneratedRegex(@"\s(\d+)\s*$")]
    private static partial Regex TableRowPid();
}
