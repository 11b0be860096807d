namespace LoadCluster.Collector.Proc;

/// <summary>A /proc file is missing, unreadable or not in the expected format.</summary>
public sealed class ProcFileException(string filePath, string reason, Exception? inner = null)
    : Exception($"Cannot use {filePath}: {reason}. Collector:ProcPath (env Collector__ProcPath) must name the folder holding the host's /proc files, e.g. /proc, or /host/proc in a container with the host's /proc mounted there.", inner)
{
    public string FilePath { get; } = filePath;

    public string Reason { get; } = reason;
}
