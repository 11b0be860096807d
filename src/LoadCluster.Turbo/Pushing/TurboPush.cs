namespace LoadCluster.Turbo;

/// <summary>
/// Pushes through the bus (so to every node, through whatever lifetime manager is registered), or
/// straight to this node's relays. Streams are the bus's groups; pushes to all go to the group of
/// the pages' own connections (<see cref="AllGroup"/>); users are the bus's users.
/// </summary>
internal sealed class TurboPush(TurboBus bus, TurboRelays relays) : ITurboPush
{
    /// <summary>The bus's method name for a push; its one argument is the markup.</summary>
    internal const string ClientMethod = "turbo-stream";

    /// <summary>The group every page connection (an element without a stream) is in; stream names may not take this prefix.</summary>
    internal const string ReservedPrefix = "turbo:";

    internal const string AllGroup = ReservedPrefix + "all";

    public Task ToAllAsync(string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        return bus.Manager.SendGroupAsync(AllGroup, ClientMethod, [streams], ct);
    }

    public Task ToStreamsAsync(IReadOnlyList<string> streamNames, string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(streamNames);
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var name in streamNames) CheckStreamName(name, nameof(streamNames));
        return streamNames.Count == 0 ? Task.CompletedTask : bus.Manager.SendGroupsAsync(streamNames, ClientMethod, [streams], ct);
    }

    public Task ToUsersAsync(IReadOnlyList<string> userIds, string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(streams);
        if (userIds.Any(string.IsNullOrEmpty))
            throw new ArgumentException("A user id is null or empty; pass the ids SignalR's IUserIdProvider gives your users.", nameof(userIds));
        return userIds.Count == 0 ? Task.CompletedTask : bus.Manager.SendUsersAsync(userIds, ClientMethod, [streams], ct);
    }

    public ValueTask ToLocalSubscribersAsync(string streamName, string streams, CancellationToken ct = default)
    {
        CheckStreamName(streamName, nameof(streamName));
        ArgumentNullException.ThrowIfNull(streams);
        relays.Send(streamName, streams);
        return ValueTask.CompletedTask;
    }

    public int LocalSubscriberCount(string streamName) => relays.SubscriberCount(streamName);

    public int LocalConnectionCount => relays.ConnectionCount;

    /// <summary>A stream name as the bus and the signer take it: not empty, not the library's own.</summary>
    internal static void CheckStreamName(string? name, string parameter)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("A stream name is null or empty; pass the plain (unsigned) name of the stream.", parameter);
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"Stream names starting with '{ReservedPrefix}' are the library's own; choose another name than '{name}'.", parameter);
    }
}
