using System.Diagnostics;
using System.Text;

namespace LoadCluster.Testing;

/// <summary>
/// A built ASP.NET Core app run as its own process on a free loopback port, as a user runs it:
/// its own static web assets, its own configuration. Its output is kept for failure messages.
/// Disposing kills it (and only it: the process this started).
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private AppProcess(Process process, int port, string readyLine)
    {
        _process = process;
        Port = port;
        _readyLine = readyLine;
    }

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
    public static async Task<AppProcess> StartAsync(string dll, string contentRoot, IEnumerable<string>? args = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string readyLine = "Now listening on:")
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built: build the solution first.", dll);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", contentRoot }.Concat(args ?? [])) start.ArgumentList.Add(arg);
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
        var first = await Task.WhenAny(app._listening.Task, exited, Task.Delay(limit));
        if (first == app._listening.Task) return app;
        var why = first == exited ? $"exited with code {process.ExitCode}" : $"did not listen within {limit.TotalSeconds} s";
        await app.DisposeAsync();
        throw new InvalidOperationException($"{Path.GetFileName(dll)} {why}. Its output:\n{app.Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains(_readyLine, StringComparison.Ordinal)) _listening.TrySetResult();
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
