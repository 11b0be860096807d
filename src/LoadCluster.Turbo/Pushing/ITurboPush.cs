namespace LoadCluster.Turbo;

/// <summary>
/// Pushes Turbo Stream markup to browsers from any code on any node (request handlers, background
/// services). Through a backplane a push reaches the clients of every node, once each.
/// The <c>streams</c> argument of every method is one or more <c>&lt;turbo-stream&gt;</c> elements:
/// a <see cref="TurboStreamAction"/> from <see cref="TurboStream"/> (it converts), several joined by
/// <see cref="TurboStream.Combine"/>, or markup of your own.
/// A page gets pushes to all and to its user on its own connection, the
/// <c>&lt;TurboStreamFrom /&gt;</c> without a stream that its layout carries; each named stream's
/// element gets that stream's pushes only. A connection's user id is SignalR's <c>IUserIdProvider</c>
/// applied to its ASP.NET Core user (the NameIdentifier claim by default); register your own provider
/// to choose another, as Turbo-Flask's <c>@turbo.user_id</c> does. Anonymous pages get no user pushes.
/// </summary>
public interface ITurboPush
{
    /// <summary>To every page connection.</summary>
    Task ToAllAsync(string streams, CancellationToken ct = default);

    /// <summary>
    /// To the subscribers of the named streams. A page that listens to several of them receives the
    /// message once per stream it listens to.
    /// </summary>
    Task ToStreamsAsync(IReadOnlyList<string> streamNames, string streams, CancellationToken ct = default);

    /// <summary>To the subscribers of one stream.</summary>
    Task ToStreamsAsync(string streamName, string streams, CancellationToken ct = default) =>
        ToStreamsAsync([streamName], streams, ct);

    /// <summary>To every page connection of the given users (ids from SignalR's <c>IUserIdProvider</c>); a user with no connection is not an error.</summary>
    Task ToUsersAsync(IReadOnlyList<string> userIds, string streams, CancellationToken ct = default);

    /// <summary>To every page connection of one user; a user with no connection is not an error.</summary>
    Task ToUsersAsync(string userId, string streams, CancellationToken ct = default) =>
        ToUsersAsync([userId], streams, ct);

    /// <summary>
    /// Only to this node's subscribers of <paramref name="streamName"/>, with no backplane round trip,
    /// encoded once for all of them: for work every replica does by itself (such as relaying a
    /// message every replica receives). It never waits for a client: each takes the push at its pace.
    /// </summary>
    ValueTask ToLocalSubscribersAsync(string streamName, string streams, CancellationToken ct = default);

    /// <summary>How many of this node's connections listen to <paramref name="streamName"/>.</summary>
    int LocalSubscriberCount(string streamName);

    /// <summary>How many connections (WebSocket and Server-Sent Events) this node holds.</summary>
    int LocalConnectionCount { get; }
}
