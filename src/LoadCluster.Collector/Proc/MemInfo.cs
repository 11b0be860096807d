using System.Globalization;

namespace LoadCluster.Collector.Proc;

/// <summary>/proc/meminfo: used = MemTotal − MemAvailable, in bytes.</summary>
public readonly record struct MemInfo(long Total, long Available)
{
    public long Used => Math.Max(0, Total - Available);

    /// <remarks>Lines look like <c>MemTotal:       16314356 kB</c>; values are KiB.</remarks>
    public static MemInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long? total = null, available = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("MemTotal:")) total = Kib(line, "MemTotal");
            else if (line.StartsWith("MemAvailable:")) available = Kib(line, "MemAvailable");
            if (total is not null && available is not null) break;
        }
        if (total is null) throw new FormatException("no MemTotal line");
        if (available is null) throw new FormatException("no MemAvailable line (kernel 3.14 or later is needed)");
        if (available > total) throw new FormatException($"MemAvailable ({available} bytes) exceeds MemTotal ({total} bytes)");
        return new MemInfo(total.Value, available.Value);
    }

    private static long Kib(ReadOnlySpan<char> line, string name)
    {
        var value = line[(name.Length + 1)..].Trim();
        if (value.EndsWith("kB")) value = value[..^2].TrimEnd();
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) && kib <= long.MaxValue / 1024
            ? kib * 1024
            : throw new FormatException($"{name} value '{value}' is not a whole number of kB");
    }
}
