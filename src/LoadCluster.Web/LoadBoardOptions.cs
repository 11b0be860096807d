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
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "LoadCluster:OfflineAfter must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Points of load history kept per host for the charts (600 = 10 min at 1 s).</summary>
    [Range(10, 100_000, ErrorMessage = "LoadCluster:HistoryPoints must be between 10 and 100000.")]
    public int HistoryPoints { get; set; } = 600;

    /// <summary>The replica id to use: the configured one, else machine name + pid.</summary>
    public string ReplicaId => string.IsNullOrEmpty(Replica) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Replica;
}
