using System.Globalization;

namespace LoadCluster.Web.Components;

/// <summary>How numbers read on the board: invariant culture, so every replica renders the same markup.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Load(double value) => value.ToString("0.00", Invariant);

    /// <summary>A fleet's summed load: hundredths stop mattering, and the box must still fit, past 100.</summary>
    public static string TotalLoad(double value) => value.ToString(value >= 1000 ? "0" : value >= 100 ? "0.0" : "0.00", Invariant);

    public static string Percent(double value) => value.ToString("0", Invariant) + "%";

    public static string Number(double value, string format = "0.##") => value.ToString(format, Invariant);

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 40 => (bytes / (double)(1L << 40)).ToString("0.0", Invariant) + " TiB",
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", Invariant) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0", Invariant) + " MiB",
        _ => (bytes / 1024.0).ToString("0", Invariant) + " KiB",
    };

    /// <summary>A duration the way people say it: 45 s, 12 min, 3 h 5 min, 1 h, 4 d 2 h.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalSeconds < 1) return ((int)span.TotalMilliseconds).ToString(Invariant) + " ms";
        if (span.TotalMinutes < 1) return ((int)span.TotalSeconds).ToString(Invariant) + " s";
        if (span.TotalHours < 1) return ((int)span.TotalMinutes).ToString(Invariant) + " min";
        if (span.TotalDays < 1) return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", Invariant) + " UTC";

    /// <summary>A number for an SVG attribute: invariant, short.</summary>
    public static string Svg(double value) => value.ToString("0.#", Invariant);
}
