using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// The hub browsers connect to. A client subscribes with a signed stream name; the name is
/// verified on every subscribe, the connection joins the SignalR group of that name, and the
/// stream's current state (from <see cref="ITurboStreamState"/>) is sent to it first. Pushes
/// arrive as client method "turbo-stream" with one string argument.
/// </summary>
public sealed class TurboStreamsHub : Hub
{
    private readonly ITurboStreamNameSigner _signer;
    private readonly LocalSubscriptions _local;
    private readonly TurboOptions _options;
    private readonly ITurboStreamState? _state;

    internal TurboStreamsHub(ITurboStreamNameSigner signer, LocalSubscriptions local, IOptions<TurboOptions> options, ITurboStreamState? state)
    {
        _signer = signer;
        _local = local;
        _options = options.Value;
        _state = state;
    }

    /// <summary>Starts listening to a stream and receives its current state first.</summary>
    public async Task Subscribe(string signedStreamName)
    {
        var stream = Verify(signedStreamName);
        var added = _local.Add(Context.ConnectionId, stream, _options.MaxSubscriptionsPerConnection);
        if (added == SubscribeResult.LimitReached)
            throw new HubException($"This connection already listens to {_options.MaxSubscriptionsPerConnection} streams; unsubscribe from one first.");
        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, stream, Context.ConnectionAborted);
        }
        catch
        {
            if (added == SubscribeResult.Added) _local.Remove(Context.ConnectionId, stream);
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

    private string Verify(string signedStreamName) =>
        _signer.TryVerify(signedStreamName, out var stream)
            ? stream
            : throw new HubException("The stream name is not signed by this application (tampered, unsigned or signed with another key); render the page again to get a signed name.");
}
