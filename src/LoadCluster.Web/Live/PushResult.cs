namespace LoadCluster.Web.Live;

/// <summary>What a stream rendered for one push: its markup (null for nothing), and whether changes were left for the next one.</summary>
internal readonly record struct PushResult(string? Markup, bool More)
{
    public static readonly PushResult Nothing = new(null, false);
}
