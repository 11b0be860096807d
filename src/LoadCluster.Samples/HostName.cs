namespace LoadCluster.Samples;

/// <summary>
/// The rule for host names. They end up in Redis key names, stream names and HTML element ids,
/// so they are restricted to characters that need no escaping anywhere.
/// </summary>
public static class HostName
{
    public const int MaxLength = 253;

    /// <summary>Describes the rule, for error messages.</summary>
    public const string Rule = "1–253 characters of A-Z, a-z, 0-9, '.', '_' or '-'";

    public static bool IsValid(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxLength) return false;
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        }
        return true;
    }
}
