using System.Diagnostics;
using System.Text;

namespace LoadCluster.Testing;

/// <summary>
/// A built app run as its own process, as a user runs it: an ASP.NET Core app on a free loopback
/// port with its own static web assets and configuration, or a worker or tool (the collector, the
/// fleet simulator) with its arguments. Its output is kept for failure messages.
/// Disposing kills it (and only it: the process this started).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private AppProcess(Process process, int port, string readyLine)
    {
        _process = process;
        Port = port;
        _readyLine = readyLine;
    }

    /// <summary>The loopback port a web app listens on (0 for a worker or a tool).</summary>
    public int Port { get; }

    /// <summary>The app's process id (e.g. to read its memory from /proc).</summary>
    public int ProcessId => _process.Id;

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>What the app printed so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="dll"/></c> from <paramref name="contentRoot"/> in Development
    /// (so static web assets are served from the build output; <c>ASPNETCORE_ENVIRONMENT</c> in
    /// <paramref name="environment"/> says otherwise) and waits until it listens (or prints
    /// <paramref name="readyLine"/>: a worker that listens on no port).
    /// </summary>
    /// <param name="environment">Variables set for the app (secrets go here, never in argv).</param>
    public static Task<AppProcess> StartAsync(string dll, string contentRoot, IEnumerable<string>? args = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string readyLine = "Now listening on:")
    {
        var port = FreePort.Next();
        return StartAsync(dll, contentRoot, ["--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot, .. args ?? []], readyLine, port, timeout, environment);
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="dll"/> <paramref name="args"/></c>, a tool with a command line
    /// of its own (the fleet simulator) or a worker that takes none (the collector), from the dll's folder and waits until it prints a line
    /// containing <paramref name="ready"/>.
    /// </summary>
    public static Task<AppProcess> StartToolAsync(string dll, IEnumerable<string> args, string ready, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync(dll, Path.GetDirectoryName(dll)!, args, ready, port: 0, timeout, environment);

    private static async Task<AppProcess> StartAsync(string dll, string workingDirectory, IEnumerable<string> args, string readyLine, int port,
        TimeSpan? timeout, IReadOnlyDictionary<string, string>? environment)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built: build the solution first.", dll);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll }.Concat(args)) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var app = new AppProcess(process, port, readyLine);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(app._ready.Task, exited, Task.Delay(limit));
        if (first == app._ready.Task) return app;
        var why = first == exited ? $"exited with code {process.ExitCode}" : $"did not print '{readyLine}' within {limit.TotalSeconds} s";
        await app.DisposeAsync();
        throw new InvalidOperationException($"{Path.GetFileName(dll)} {why}. Its output:\n{app.Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains(_readyLine, StringComparison.Ordinal)) _ready.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }
}
