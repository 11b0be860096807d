namespace LoadCluster.Admin;

/// <summary>A problem the operator can fix; the message says what and how. <see cref="ExitCode"/> 2 is bad input, 1 a Redis that will not do it.</summary>
internal sealed class AdminException(string message, int exitCode = 1, bool showUsage = false) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The command line itself was wrong: the usage follows the message.</summary>
    public bool ShowUsage { get; } = showUsage;
}
