using System.ComponentModel.DataAnnotations;

namespace LoadCluster.Web;

/// <summary>Settings of the load board, bound from the section "LoadCluster" (env <c>LoadCluster__*</c>).</summary>
public sealed class LoadBoardOptions
{
    public const string SectionName = "LoadCluster";

    /// <summary>This replica's id on the Cluster page (env <c>LoadCluster__Replica</c>); machine name + pid when empty.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,253}$", ErrorMessage = "LoadCluster:Replica (env LoadCluster__Replica) must be 1-253 characters of A-Z, a-z, 0-9, '.', '_' or '-'.")]
    public string? Replica { get; set; }

    /// <summary>A host with no sample for this long is offline (it is stale after 3 of its intervals).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "LoadCluster:OfflineAfter (env LoadCluster__OfflineAfter) must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Points of load history kept per host for the charts (600 = 10 min at 1 s).</summary>
    [Range(10, 100_000, ErrorMessage = "LoadCluster:HistoryPoints (env LoadCluster__HistoryPoints) must be between 10 and 100000.")]
    public int HistoryPoints { get; set; } = 600;

    /// <summary>
    /// Messages one replica sends at most per stream per second, so per page: a page listens to one
    /// board stream (env <c>LoadCluster__MaxPushesPerSecond</c>). A stream that has been quiet for
    /// 1/N s gets a change at once; changes that arrive sooner, or while the previous push is still
    /// being rendered or written, go out together in the next one. The default was chosen with the
    /// fleet benchmark's page probe (README, "A tab that costs little"): fewer pushes cost the
    /// browser less and leave rows staler.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "LoadCluster:MaxPushesPerSecond (env LoadCluster__MaxPushesPerSecond) must be between 1 and 1000.")]
    public int MaxPushesPerSecond { get; set; } = 2;

    /// <summary>
    /// Bytes one replica sends at most per stream per second, so each client's traffic is bounded
    /// whatever the fleet size (env <c>LoadCluster__MaxBytesPerSecond</c>). Rows that do not fit
    /// go out in the following pushes, those waiting longest first.
    /// </summary>
    [Range(16 * 1024, 64 * 1024 * 1024, ErrorMessage = "LoadCluster:MaxBytesPerSecond (env LoadCluster__MaxBytesPerSecond) must be between 16384 and 67108864.")]
    public int MaxBytesPerSecond { get; set; } = 192 * 1024;

    /// <summary>Rows the overview shows before its "show all" link (env <c>LoadCluster__OverviewRows</c>).</summary>
    [Range(10, 100_000, ErrorMessage = "LoadCluster:OverviewRows (env LoadCluster__OverviewRows) must be between 10 and 100000.")]
    public int OverviewRows { get; set; } = 100;

    /// <summary>The replica id to use: the configured one, else machine name + pid.</summary>
    public string ReplicaId => string.IsNullOrEmpty(Replica) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Replica;
}
