namespace LoadCluster.Web.Board;

/// <summary>Load relative to core count, for colour: below 0.7 per core is fine, below 1.0 busy, above saturated.</summary>
public enum LoadLevel
{
    Unknown,
    Ok,
    Busy,
    Saturated,
}
