using System.Diagnostics;

namespace LoadCluster.Compose.Tests;

/// <summary>
/// Makes sure a Docker engine answers, starting <c>dockerd</c> (as root) when none does: first with
/// its default storage driver, then with vfs if that fails (overlay is not available everywhere).
/// Checked once per process; a dockerd started here is stopped by <see cref="StopIfStarted"/> or at
/// process exit.
/// </summary>
internal static class DockerEngine
{
    private static readonly Lazy<string?> Problem = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static Process? _dockerd;
    private static string? _logFile;

    /// <summary>Null when the engine answers; otherwise why it cannot, and how to fix it.</summary>
    public static string? WhyUnavailable => Problem.Value;

    private static bool Answers() =>
        CommandLine.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult().Succeeded;

    private static string? Start()
    {
        if (CommandLine.RunAsync("docker", ["--version"], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult().ExitCode == 127)
            return "the docker CLI is not installed: apt-get install docker.io docker-compose (the README's test command does)";
        if (Answers()) return null;
        if (!File.Exists("/usr/sbin/dockerd") && !File.Exists("/usr/bin/dockerd"))
            return "the Docker engine is not running and dockerd is not installed: apt-get install docker.io";
        if (Environment.UserName != "root")
            return "the Docker engine is not running and only root can start dockerd: start it (e.g. sudo dockerd &) and run the tests again";

        string? lastLog = null;
        foreach (var extra in new[] { Array.Empty<string>(), ["--storage-driver=vfs"] })
        {
            _logFile = Path.Combine(Path.GetTempPath(), $"loadcluster-dockerd-{Guid.NewGuid():N}.log");
            var psi = new ProcessStartInfo("dockerd") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in extra) psi.ArgumentList.Add(arg);
            _dockerd = Process.Start(psi)!;
            var log = new StreamWriter(_logFile) { AutoFlush = true };
            var logClosed = false;
            void Write(string? line)
            {
                lock (log) if (line is not null && !logClosed) log.WriteLine(line);
            }
            _dockerd.OutputDataReceived += (_, e) => Write(e.Data);
            _dockerd.ErrorDataReceived += (_, e) => Write(e.Data);
            _dockerd.BeginOutputReadLine();
            _dockerd.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopIfStarted();

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (DateTime.UtcNow < deadline && !_dockerd.HasExited)
            {
                if (Answers()) return null;
                Thread.Sleep(500);
            }
            Stop(deleteLog: false);
            lock (log)
            {
                logClosed = true;
                log.Dispose();
            }
            lastLog = File.Exists(_logFile) ? string.Join('\n', File.ReadLines(_logFile).TakeLast(15)) : "";
        }
        return $"dockerd did not start (default storage driver, then vfs); last lines of its log:\n{lastLog}";
    }

    /// <summary>Stops the dockerd this process started (SIGTERM stops its containers and containerd too).</summary>
    public static void StopIfStarted() => Stop(deleteLog: true);

    private static void Stop(bool deleteLog)
    {
        var dockerd = Interlocked.Exchange(ref _dockerd, null);
        if (dockerd is null) return;
        try
        {
            if (!dockerd.HasExited)
            {
                Process.Start("kill", ["-TERM", dockerd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!dockerd.WaitForExit(TimeSpan.FromSeconds(60))) dockerd.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException) { }
        dockerd.Dispose();
        if (deleteLog && _logFile is not null) File.Delete(_logFile);
    }
}
