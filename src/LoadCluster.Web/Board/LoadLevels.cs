namespace LoadCluster.Web.Board;

/// <summary>Maps load per core to a <see cref="LoadLevel"/> and to the CSS class that colours it.</summary>
public static class LoadLevels
{
    public static LoadLevel Of(double load, int cores) => cores <= 0 || !double.IsFinite(load)
        ? LoadLevel.Unknown
        : (load / cores) switch
        {
            < 0.7 => LoadLevel.Ok,
            < 1.0 => LoadLevel.Busy,
            _ => LoadLevel.Saturated,
        };

    public static string CssClass(LoadLevel level) => level switch
    {
        LoadLevel.Ok => "level-ok",
        LoadLevel.Busy => "level-busy",
        LoadLevel.Saturated => "level-high",
        _ => "level-unknown",
    };

    /// <summary>Class for a percentage (CPU, memory), with the same thresholds.</summary>
    public static string PercentClass(double percent) => CssClass(Of(percent / 100, 1));
}
