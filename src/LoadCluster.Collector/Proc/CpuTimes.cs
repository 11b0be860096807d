using System.Globalization;

namespace LoadCluster.Collector.Proc;

/// <summary>
/// The cumulative CPU time counters of /proc/stat: the <c>cpu</c> line (all cores) and one
/// <c>cpuN</c> line per online core. Busy percentages come from the difference of two readings
/// (<see cref="CpuUsage"/>).
/// </summary>
public sealed record CpuTimes(CpuCounter All, IReadOnlyList<CpuCounter> PerCore)
{
    /// <remarks>
    /// Line format: <c>cpu  user nice system idle iowait irq softirq steal guest guest_nice</c>, in
    /// clock ticks. guest and guest_nice are already counted in user and nice, so the total is the
    /// sum of the first eight; idle time is idle + iowait. Old kernels print fewer columns (at least four).
    /// </remarks>
    public static CpuTimes Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CpuCounter? all = null;
        var perCore = new List<CpuCounter>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("cpu")) continue;
            var counter = ParseLine(line.ToString());
            if (line.Length > 3 && line[3] == ' ') all = counter;
            else perCore.Add(counter);
        }
        if (all is null) throw new FormatException("no 'cpu' line");
        if (perCore.Count == 0) throw new FormatException("no 'cpuN' lines");
        return new CpuTimes(all.Value, perCore);
    }

    private static CpuCounter ParseLine(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5) throw new FormatException($"'{fields[0]}' line has {fields.Length - 1} counters, expected at least 4");
        ulong total = 0, idle = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (!ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
                throw new FormatException($"'{fields[0]}' counter {i} '{fields[i]}' is not a whole number");
            total += ticks;
            if (i is 4 or 5) idle += ticks;
        }
        return new CpuCounter(total, idle);
    }
}
