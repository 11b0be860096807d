namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// What this server tracks per local connection: its groups, so that a disconnect leaves none
/// behind. The lock orders group changes against the disconnect.
/// </summary>
internal sealed class ConnectionState
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    public bool Disconnected { get; set; }
}
