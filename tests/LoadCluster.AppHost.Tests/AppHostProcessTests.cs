using System.Diagnostics;
using System.Globalization;
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
        using var launcher = StartLauncher(log, "--replicas", "2", "--port", port.ToString(CultureInfo.InvariantCulture));
        var pids = new List<int>();
        try
        {
            pids.AddRange(await WaitUpAsync(log, port));
            Assert.Equal(HttpStatusCode.OK, await Http.WaitOkAsync(new Uri($"http://127.0.0.1:{port}/health"), TimeSpan.FromSeconds(30)));

            await SignalAsync("-INT", launcher.Id);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await launcher.WaitForExitAsync(exited.Token);

            Assert.Equal(0, launcher.ExitCode);
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} is still running"));
        }
        finally
        {
            Cleanup(launcher, pids);
        }
    }

    [Fact]
    public async Task Children_of_a_launcher_killed_outright_are_cleaned_up_by_its_watchdog()
    {
        var port = FreePort.Next();
        var log = new LineLog();
        using var launcher = StartLauncher(log, "--replicas", "1", "--port", port.ToString(CultureInfo.InvariantCulture));
        var pids = new List<int>();
        try
        {
            pids.AddRange(await WaitUpAsync(log, port));

            await SignalAsync("-KILL", launcher.Id);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (pids.Any(IsAlive) && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} is still running"));
        }
        finally
        {
            Cleanup(launcher, pids);
        }
    }

    // Waits for the "up" line and returns the pids of the table printed before it.
    private static async Task<List<int>> WaitUpAsync(LineLog log, int port)
    {
        await log.WaitForAsync(l => l == $"LoadCluster is up at http://127.0.0.1:{port}", TimeSpan.FromSeconds(120));
        var table = log.Lines.SkipWhile(l => !l.StartsWith("NAME ", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("LoadCluster is up", StringComparison.Ordinal)).ToList();
        Assert.Contains(table, l => l.StartsWith("redis ", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("nginx ", StringComparison.Ordinal) && l.Contains($"http://127.0.0.1:{port}", StringComparison.Ordinal));
        var pids = table.Select(row => int.Parse(TableRowPid().Match(row).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        // nginx's workers must go too.
        return [.. pids, .. pids.SelectMany(ChildrenOf)];
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && fields[1] == parent.ToString(CultureInfo.InvariantCulture))
                yield return pid;
        }
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static void Cleanup(Process launcher, List<int> pids)
    {
        if (!launcher.HasExited) launcher.Kill(entireProcessTree: true);
        foreach (var pid in pids.Where(IsAlive))
        {
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
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

    // A zombie (state Z) has exited; it only waits for its new parent to reap it.
    private static bool IsAlive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    // "web-1      http://127.0.0.1:44877/   31987": the pid is the last column.
    [GeneratedRegex(@"\s(\d+)\s*$")]
    private static partial Regex TableRowPid();
}
