using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// The hub browsers connect to. A client subscribes with a signed stream name; the name is
/// verified on every subscribe, the connection joins the SignalR group of that name, and the
/// stream's current state (from <see cref="ITurboStreamState"/>) is sent to it first. Pushes
/// arrive as client method "turbo-stream" with one string argument.
/// </summary>
public sealed partial class TurboStreamsHub : Hub
{
    private readonly ITurboStreamNameSigner _signer;
    private readonly LocalSubscriptions _local;
    private readonly TurboOptions _options;
    private readonly ITurboStreamState? _state;
    private readonly ILogger _logger;

    internal TurboStreamsHub(ITurboStreamNameSigner signer, LocalSubscriptions local, IOptions<TurboOptions> options, ITurboStreamState? state, ILogger<TurboStreamsHub> logger)
    {
        _logger = logger;
        _signer = signer;
        _local = local;
        _options = options.Value;
        _state = state;
    }

    /// <summary>Starts listening to a stream and receives its current state first; a second call for the same stream does nothing.</summary>
    public async Task Subscribe(string signedStreamName)
    {
        var stream = Verify(signedStreamName);
        var added = _local.Add(Context.ConnectionId, stream, _options.MaxSubscriptionsPerConnection);
        // Subscribing twice changes nothing and sends no second state: the page already has it.
        if (added == SubscribeResult.AlreadySubscribed) return;
        if (added == SubscribeResult.LimitReached)
        {
            LogLimitReached(_logger, Context.ConnectionId, _options.MaxSubscriptionsPerConnection);
            throw new HubException($"This connection already listens to {_options.MaxSubscriptionsPerConnection} streams; unsubscribe from one first.");
        }
        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, stream, Context.ConnectionAborted);
        }
        catch
        {
            _local.Remove(Context.ConnectionId, stream);
            throw;
        }
        // After joining, so a change made meanwhile arrives as a push or is part of this state.
        if (_state is not null && await _state.GetCurrentAsync(stream, Context.ConnectionAborted) is { Length: > 0 } current
            && _local.TryGetConnection(Context.ConnectionId, out var connection))
        {
            await connection.WriteAsync(new InvocationMessage(TurboPush.ClientMethod, [current]), Context.ConnectionAborted);
        }
    }

    /// <summary>Stops listening to a stream.</summary>
    public async Task Unsubscribe(string signedStreamName)
    {
        var stream = Verify(signedStreamName);
        _local.Remove(Context.ConnectionId, stream);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, stream, Context.ConnectionAborted);
    }

    private string Verify(string signedStreamName)
    {
        if (_signer.TryVerify(signedStreamName, out var stream)) return stream;
        // The name itself is not logged: it is attacker-chosen text.
        LogRefused(_logger, Context.ConnectionId);
        throw new HubException("The stream name is not signed by this application (tampered, unsigned or signed with another key); render the page again to get a signed name.");
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Connection {ConnectionId} sent a stream name whose signature does not verify; refused")]
    private static partial void LogRefused(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Connection {ConnectionId} reached the cap of {Limit} subscriptions; refused")]
    private static partial void LogLimitReached(ILogger logger, string connectionId, int limit);
}
