using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.Turbo;

/// <summary>
/// Wraps whatever lifetime manager the app registered for hubs (SignalR's in-memory one, or a
/// Redis backplane) and tells <see cref="LocalSubscriptions"/> which hub and event-stream connections
/// live on this node (the socket endpoint's relays belong to <see cref="TurboSockets"/>): SignalR exposes a connection's <see cref="HubConnectionContext"/> only to the lifetime
/// manager, and local pushes need it to write pre-serialized messages.
/// </summary>
internal sealed class TurboHubLifetimeManager : HubLifetimeManager<TurboStreamsHub>, IAsyncDisposable
{
    private readonly HubLifetimeManager<TurboStreamsHub> inner;
    private readonly LocalSubscriptions local;
    private int _disposed;

    /// <param name="inner">The manager the app registered for hubs, created for this hub.</param>
    /// <param name="local">This node's connections and their subscriptions.</param>
    /// <param name="stopped">
    /// When the app has stopped, the inner manager is disposed then rather than with the container:
    /// a backplane on a connection the app shares (Redis) must let go of it while that connection
    /// and its instrumentation are still there, and the container disposes them in no useful order.
    /// </param>
    public TurboHubLifetimeManager(HubLifetimeManager<TurboStreamsHub> inner, LocalSubscriptions local, CancellationToken stopped = default)
    {
        this.inner = inner;
        this.local = local;
        stopped.Register(static state => _ = ((TurboHubLifetimeManager)state!).DisposeAsync().AsTask(), this);
    }

    internal HubLifetimeManager<TurboStreamsHub> Inner => inner;

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        // A relay stands for sockets that TurboSockets writes to itself.
        if (connection is TurboSocketRelay)
        {
            await inner.OnConnectedAsync(connection);
            return;
        }
        local.Connected(connection);
        try
        {
            await inner.OnConnectedAsync(connection);
        }
        catch
        {
            local.Disconnected(connection.ConnectionId);
            throw;
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        local.Disconnected(connection.ConnectionId);
        await inner.OnDisconnectedAsync(connection);
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendUserAsync(userId, methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        inner.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        inner.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        inner.TryGetReturnType(invocationId, out type);

    // The inner manager was created by us, not by the container, so its disposal is ours.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
