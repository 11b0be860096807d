using System.Runtime.InteropServices;

namespace LoadCluster.AppHost.Tests;

/// <summary>Linux signal numbers the tests send (Process.Kill only sends SIGKILL, and to one process).</summary>
public enum PosixSignalNumber
{
    Int = 2,
    Term = 15,
}

/// <summary>
/// kill(2) itself: the kill command's own parsing takes "-PGID" after a signal for another signal
/// option (procps-ng 4.0.2 then signalled every process it could), so the call goes straight to libc.
/// </summary>
internal static class Posix
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);
}
