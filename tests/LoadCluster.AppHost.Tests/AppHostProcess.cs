using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LoadCluster.AppHost.Tests;

/// <summary>
/// The AppHost as a user runs it: <c>dotnet run --project src/LoadCluster.AppHost -- ARGS</c>, with
/// its launch profile, in a session of its own (as a terminal would give it: Ctrl+C goes to its
/// process group) and with SIGINT's default action even where the test runner ignores it. Only
/// the dashboard's ports are moved to free ones, so that two runs do not collide.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AppHostProcess(Process process) => _process = process;

    /// <summary>Pid of <c>dotnet run</c>, which is also its process group's and session's id.</summary>
    public int Pid => _process.Id;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static AppHostProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Checkout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] command =
        [
            "env", "--default-signal=INT", "dotnet", "run", "--project", Path.Combine("src", "LoadCluster.AppHost"), "-c", Checkout.Configuration, "--no-build", "--",
            .. args,
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
        ];
        foreach (var arg in command) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var host = new AppHostProcess(process);
        process.OutputDataReceived += (_, e) => Append(host._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>Waits for a line on stdout, or fails with what was printed.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stdout.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(wanted) is { } line) return line;
            if (HasExited) break;
            await Task.Delay(200);
        }
        throw new TimeoutException($"no such line within {timeout.TotalSeconds:0} s (exited: {HasExited}).\nstdout:\n{Tail(Stdout)}\nstderr:\n{Tail(Stderr)}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal to <c>dotnet run</c> alone, or to its whole process group (as Ctrl+C in a terminal does).</summary>
    public void Signal(PosixSignalNumber signal, bool group)
    {
        // Never 0 or 1: kill(0) is our own group, kill(-1) every process we may signal.
        if (Pid <= 1) throw new InvalidOperationException($"refusing to signal pid {Pid}");
        if (Posix.Kill(group ? -Pid : Pid, (int)signal) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill({(group ? -Pid : Pid)}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(PosixSignalNumber.Term, group: true);
            try { await WaitForExitAsync(TimeSpan.FromSeconds(60)); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
