using System.Diagnostics;
using System.Globalization;

namespace LoadCluster.AppHost.Resources;

/// <summary>
/// Cleans up after a launcher that was killed outright (SIGKILL, OOM): a tiny shell that polls the
/// launcher once a second and, when it is gone, kills the process group of every child whose pid
/// is recorded in <see cref="PidDirectory"/> (each child leads its own group, thanks to setsid, so
/// nginx's workers go too) and deletes the run's temp folder. A normal shutdown stops the children
/// itself and then ends the watchdog.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    // $0 launcher pid, $1 pid folder, $2 temp folder. "kill -9 -PID" signals the whole group (dash's
    // kill takes no "--").
    private const string Script = """
        while kill -0 "$0" 2>/dev/null; do sleep 1; done
        for f in "$1"/*; do
          [ -f "$f" ] || continue
          pid=$(cat "$f")
          kill -9 "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null
        done
        rm -rf "$2"
        """;

    private readonly Process? _process;

    private Watchdog(Process? process, string pidDirectory)
    {
        _process = process;
        PidDirectory = pidDirectory;
    }

    /// <summary>Holds one file per child, named after it, containing its current pid.</summary>
    public string PidDirectory { get; }

    public static Watchdog Start(string directory)
    {
        var pids = Directory.CreateDirectory(Path.Combine(directory, "pids")).FullName;
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        if (psi.FileName != "/bin/sh") psi.ArgumentList.Add("/bin/sh");
        foreach (var arg in new[] { "-c", Script, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), pids, directory })
            psi.ArgumentList.Add(arg);
        try
        {
            return new Watchdog(Process.Start(psi), pids);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new Watchdog(null, pids); // best effort: without /bin/sh a killed launcher leaves its children
        }
    }

    /// <summary>Records a child's current pid (called on every start and restart).</summary>
    public void Record(string name, int pid) =>
        File.WriteAllText(Path.Combine(PidDirectory, name), pid.ToString(CultureInfo.InvariantCulture));

    public void Dispose()
    {
        try { _process?.Kill(); }
        catch (InvalidOperationException) { }
        _process?.Dispose();
    }
}
