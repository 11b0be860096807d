namespace LoadCluster.SignalR.Redis;

/// <summary>
/// Settings of the SignalR Redis backplane. Validated when the app starts.
/// </summary>
/// <remarks>
/// Names are case-sensitive everywhere: group names and user ids are compared ordinally, as
/// SignalR's default in-memory manager does, so "Admins" and "admins" are two groups. Names are
/// also literal: <c>*</c>, <c>?</c> and <c>[</c> in a group or user name match nothing else.
/// </remarks>
public sealed class RedisBackplaneOptions
{
    /// <summary>
    /// StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=...</c>. Required.
    /// The app starts even when Redis cannot be reached; the backplane connects when it can.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// First part of every channel name, so that several apps can share one Redis. The hub's full
    /// type name follows it: <c>{prefix}:{hub}:all</c>, <c>{prefix}:{hub}:group:{name}</c>, ...
    /// Every server of one app must use the same prefix.
    /// </summary>
    public string ChannelPrefix { get; set; } = "loadcluster";

    /// <summary>How long adding or removing a connection held by another server waits for that server's ack.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a publish may take before it is reported as failed (StackExchange.Redis 1.x has no async timeout).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each server publishes a probe to itself. A subscriber link that has not carried a
    /// probe for three intervals is reported unhealthy and repaired.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many messages received from Redis may wait, per hub, for this server to write them to its
    /// connections. When connections are slower than the traffic, the oldest waiting message is
    /// dropped (counted and logged), so memory stays bounded.
    /// </summary>
    public int ReceiveQueueCapacity { get; set; } = 10_000;
}
