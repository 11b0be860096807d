namespace LoadCluster.Collector.Proc;

/// <summary>Busy percentages between two readings of /proc/stat.</summary>
public readonly record struct CpuUsage(double All, double[] PerCore)
{
    /// <summary>
    /// Busy share of the time that passed between <paramref name="previous"/> and <paramref name="current"/>,
    /// 0–100. Without a usable previous reading (none yet, or the set of online cores changed) it is
    /// the average since boot.
    /// </summary>
    public static CpuUsage Between(CpuTimes? previous, CpuTimes current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is not null && previous.PerCore.Count != current.PerCore.Count) previous = null;
        var perCore = new double[current.PerCore.Count];
        for (var i = 0; i < perCore.Length; i++)
            perCore[i] = Busy(previous?.PerCore[i] ?? default, current.PerCore[i]);
        return new CpuUsage(Busy(previous?.All ?? default, current.All), perCore);
    }

    private static double Busy(CpuCounter before, CpuCounter after)
    {
        // Counters can step backwards (iowait is known to), so work in signed deltas and clamp.
        var total = (double)(long)(after.Total - before.Total);
        var idle = (double)(long)(after.Idle - before.Idle);
        if (total <= 0) return 0;
        return Math.Round(Math.Clamp((total - idle) / total * 100, 0, 100), 2);
    }
}
