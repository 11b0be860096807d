using System.Runtime.InteropServices;

namespace LoadCluster.AppHost.Resources;

/// <summary>Signals a process; .NET's Process can only SIGKILL, and a child deserves a SIGTERM first.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;
}
