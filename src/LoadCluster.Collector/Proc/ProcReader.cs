namespace LoadCluster.Collector.Proc;

/// <summary>
/// Reads and parses the four /proc files the collector needs from a configurable folder (the
/// host's /proc, or a mount of it). Every failure is a <see cref="ProcFileException"/> naming the file.
/// </summary>
public sealed class ProcReader(string procPath)
{
    public string ProcPath { get; } = procPath;

    public LoadAvg ReadLoadAvg() => Read("loadavg", LoadAvg.Parse);

    public CpuTimes ReadStat() => Read("stat", CpuTimes.Parse);

    public MemInfo ReadMemInfo() => Read("meminfo", MemInfo.Parse);

    public double ReadUptime() => Read("uptime", Uptime.Parse);

    private T Read<T>(string name, Func<string, T> parse)
    {
        var path = Path.Combine(ProcPath, name);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ProcFileException(path, "file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProcFileException(path, "permission denied", e);
        }
        catch (IOException e)
        {
            throw new ProcFileException(path, $"read failed ({e.Message})", e);
        }
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new ProcFileException(path, $"unexpected format: {e.Message}", e);
        }
    }
}
