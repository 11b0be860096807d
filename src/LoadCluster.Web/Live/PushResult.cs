namespace LoadCluster.Web.Relay;

/// <summary>What one push sent: its size (for the byte budget), and whether changes were left for the next one.</summary>
internal readonly record struct PushResult(int Bytes, bool More)
{
    public static readonly PushResult Nothing = new(0, false);
}
