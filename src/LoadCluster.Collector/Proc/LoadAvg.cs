using System.Globalization;

namespace LoadCluster.Collector.Proc;

/// <summary>/proc/loadavg: <c>0.52 0.58 0.59 2/1234 56789</c> — three load averages, runnable/total tasks, last pid.</summary>
public readonly record struct LoadAvg(double Load1, double Load5, double Load15, int Runnable, int Tasks)
{
    public static LoadAvg Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4) throw new FormatException($"expected at least 4 fields, found {fields.Length}");
        var tasks = fields[3].Split('/');
        if (tasks.Length != 2) throw new FormatException($"4th field '{fields[3]}' is not runnable/total");
        return new LoadAvg(Load(fields[0], "1-minute"), Load(fields[1], "5-minute"), Load(fields[2], "15-minute"),
            Count(tasks[0], "runnable"), Count(tasks[1], "total tasks"));
    }

    private static double Load(string field, string name) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
            ? value
            : throw new FormatException($"{name} load '{field}' is not a number >= 0");

    private static int Count(string field, string name) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{name} count '{field}' is not a whole number");
}
