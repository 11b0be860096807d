using System.Globalization;

namespace LoadCluster.Collector.Proc;

/// <summary>/proc/uptime: <c>350735.47 234388.90</c> — seconds since boot, then idle seconds summed over cores.</summary>
public static class Uptime
{
    public static double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 1) throw new FormatException("file is empty");
        return double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds >= 0
            ? seconds
            : throw new FormatException($"uptime '{fields[0]}' is not a number of seconds >= 0");
    }
}
