namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// The one place that knows the backplane's channel names. They are part of the wire contract
/// between servers: every server of an app must compute the same names.
/// </summary>
/// <remarks>
/// <c>{prefix}:{hub full name}:all</c>, <c>:connection:{id}</c>, <c>:group:{name}</c>,
/// <c>:user:{id}</c>, <c>:internal:groups</c> (remote group commands), <c>:internal:ack:{server}</c>,
/// <c>:internal:return:{server}</c> (client results).
/// Names are case-sensitive and always subscribed in literal mode, so a name holding <c>*</c>
/// is a name, not a pattern.
/// </remarks>
internal sealed class RedisChannels(string prefix, string hubName)
{
    private readonly string _root = $"{prefix}:{hubName}";

    public string All => $"{_root}:all";

    public string GroupManagement => $"{_root}:internal:groups";

    public string Connection(string connectionId) => $"{_root}:connection:{connectionId}";

    public string Group(string groupName) => $"{_root}:group:{groupName}";

    public string User(string userId) => $"{_root}:user:{userId}";

    public string Ack(string serverName) => $"{_root}:internal:ack:{serverName}";

    public string Return(string serverName) => $"{_root}:internal:return:{serverName}";

    /// <summary>The probe channel is per server and shared by all hubs of that server.</summary>
    public static string Probe(string prefix, string serverName) => $"{prefix}:internal:probe:{serverName}";
}
