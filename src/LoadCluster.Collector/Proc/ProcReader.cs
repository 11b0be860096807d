using System.Text;

namespace LoadCluster.Collector.Proc;

/// <summary>
/// Reads and parses the four /proc files the collector needs from a configurable folder (the
/// host's /proc, or a mount of it). Every failure is a <see cref="ProcFileException"/> naming the file.
/// </summary>
public sealed class ProcReader(string procPath)
{
    // Reused between reads (the sampler reads from one thread at a time): File.ReadAllText would
    // allocate a FileStream and its buffers for each of four files every interval.
    private byte[] _buffer = new byte[16 * 1024];

    public string ProcPath { get; } = procPath;

    public LoadAvg ReadLoadAvg() => Read("loadavg", LoadAvg.Parse);

    public CpuTimes ReadStat() => Read("stat", CpuTimes.Parse);

    public MemInfo ReadMemInfo() => Read("meminfo", MemInfo.Parse);

    public double ReadUptime() => Read("uptime", Uptime.Parse);

    private string ReadText(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = 0;
        while (true)
        {
            // /proc files report size 0: read until the end, growing the buffer if a file outgrows it.
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = RandomAccess.Read(handle, _buffer.AsSpan(length), length);
            if (read == 0) return Encoding.ASCII.GetString(_buffer, 0, length);
            length += read;
        }
    }

    private T Read<T>(string name, Func<string, T> parse)
    {
        var path = Path.Combine(ProcPath, name);
        string text;
        try
        {
            text = ReadText(path);
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
