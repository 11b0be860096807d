using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Pushes through the hub context (so through whatever lifetime manager is registered), or straight to local subscribers.</summary>
internal sealed partial class TurboPush(IHubContext<TurboStreamsHub> hub, LocalSubscriptions local, TurboSockets sockets, IOptions<TurboOptions> options, ILogger<TurboPush> logger) : ITurboPush
{
    /// <summary>The client method name, part of the wire contract with the browser element.</summary>
    internal const string ClientMethod = "turbo-stream";

    public Task ToAllAsync(string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        return hub.Clients.All.SendAsync(ClientMethod, streams, ct);
    }

    public Task ToStreamsAsync(IReadOnlyList<string> streamNames, string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(streamNames);
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var name in streamNames)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A stream name is null or empty; pass the plain (unsigned) names of the streams to push to.", nameof(streamNames));
        }
        return streamNames.Count == 0 ? Task.CompletedTask : hub.Clients.Groups(streamNames).SendAsync(ClientMethod, streams, ct);
    }

    public Task ToStreamsAsync(string streamName, string streams, CancellationToken ct = default) =>
        ToStreamsAsync([streamName], streams, ct);

    public Task ToUsersAsync(IReadOnlyList<string> userIds, string streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var id in userIds)
        {
            if (string.IsNullOrEmpty(id))
                throw new ArgumentException("A user id is null or empty; pass the ids SignalR's IUserIdProvider gives your users.", nameof(userIds));
        }
        return userIds.Count == 0 ? Task.CompletedTask : hub.Clients.Users(userIds).SendAsync(ClientMethod, streams, ct);
    }

    public Task ToUsersAsync(string userId, string streams, CancellationToken ct = default) =>
        ToUsersAsync([userId], streams, ct);

    public ValueTask ToLocalSubscribersAsync(string streamName, string streams, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        ArgumentNullException.ThrowIfNull(streams);
        // Sockets never hold the caller up: a socket that falls behind is dropped by itself.
        sockets.Send(streamName, streams);
        List<(HubConnectionContext Connection, Task Write)>? pending = null;
        SerializedHubMessage? message = null;
        foreach (var connection in local.Subscribers(streamName))
        {
            // One SerializedHubMessage caches the bytes per protocol: serialized once for all.
            message ??= new SerializedHubMessage(new InvocationMessage(ClientMethod, [streams]));
            var write = connection.WriteAsync(message, ct);
            if (write.IsCompletedSuccessfully) write.GetAwaiter().GetResult();
            else (pending ??= []).Add((connection, write.AsTask()));
        }
        return pending is null ? ValueTask.CompletedTask : new ValueTask(AwaitSlowSubscribersAsync(pending, ct));
    }

    /// <summary>
    /// A write completes late when the client's buffers are full. Waiting for ever would let one
    /// client that stopped reading stall every later push; queuing behind it would grow memory.
    /// So wait a bounded time, then drop whoever is still behind.
    /// </summary>
    private async Task AwaitSlowSubscribersAsync(List<(HubConnectionContext Connection, Task Write)> pending, CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(pending.Select(p => p.Write)).WaitAsync(options.Value.SlowSubscriberTimeout, ct);
        }
        catch (TimeoutException)
        {
            foreach (var (connection, write) in pending)
            {
                if (write.IsCompleted) continue;
                LogSlowSubscriber(logger, connection.ConnectionId, options.Value.SlowSubscriberTimeout.TotalSeconds);
                connection.Abort();
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Connection {ConnectionId} did not take a push within {Seconds} s; aborted so it reconnects and resyncs")]
    private static partial void LogSlowSubscriber(ILogger logger, string connectionId, double seconds);

    public int LocalSubscriberCount(string streamName) => local.SubscriberCount(streamName) + sockets.CountOf(streamName);

    public int LocalConnectionCount => local.ConnectionCount + sockets.Count;
}
