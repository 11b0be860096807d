using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis;

// Client results (InvokeConnectionAsync<T>), here and across servers.
internal sealed partial class RedisHubLifetimeManager<THub>
{
    /// <summary>
    /// Client results work across servers: for a connection held elsewhere, the invocation goes
    /// on that connection's channel with this server's return channel, and the owner forwards the
    /// client's completion as the client wrote it; it is read here as <typeparamref name="T"/>.
    /// </summary>
    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(methodName);
        var invocationId = $"{_invocationIdPrefix}-{Interlocked.Increment(ref _lastInvocationId)}";
        var connection = _connections[connectionId];
        if (connection is null) await _started; // the answer comes back on this server's return channel
        var result = _clientResults.Add<T>(invocationId, connectionId, cancellationToken);
        try
        {
            var invocation = new InvocationMessage(invocationId, methodName, args);
            if (connection is not null)
            {
                await connection.WriteAsync(invocation, cancellationToken);
            }
            else
            {
                var payload = RedisProtocol.WriteInvocation(_redis.ServerName, null, null, new SerializedHubMessage(invocation), _protocols, new ClientResultRoute(invocationId, _redis.ServerName));
                if (await _redis.PublishAsync(_channels.Connection(connectionId), payload, cancellationToken) == 0)
                    throw new IOException($"Connection '{connectionId}' does not exist on any server.");
            }
        }
        catch
        {
            _clientResults.Remove(invocationId);
            throw;
        }
        return await result;
    }

    public override async Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        if (result.InvocationId is { } id
            && _routedResults.TryGetValue(id, out var route)
            && route.ConnectionId == connectionId
            && _routedResults.TryRemove(id, out _))
        {
            if (_connections[connectionId] is { } connection) await ForwardResultAsync(id, route.ReturnServer, connection.Protocol, result);
            return;
        }
        _clientResults.TryComplete(connectionId, result);
    }

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type)
    {
        if (_clientResults.TryGetReturnType(invocationId, out type)) return true;
        // Asked by another server: keep the client's answer as raw bytes, to forward as it is.
        type = _routedResults.ContainsKey(invocationId) ? typeof(RawResult) : null;
        return type is not null;
    }

    /// <summary>Other servers' pending results from a connection that left get an error instead of waiting forever.</summary>
    private async Task FailRoutedResultsAsync(HubConnectionContext connection)
    {
        foreach (var (id, route) in _routedResults)
        {
            if (route.ConnectionId == connection.ConnectionId && _routedResults.TryRemove(id, out _))
                await ForwardResultAsync(id, route.ReturnServer, connection.Protocol, CompletionMessage.WithError(id, $"Connection '{connection.ConnectionId}' disconnected before it returned a result."));
        }
    }

    private async Task ForwardResultAsync(string invocationId, string returnServer, IHubProtocol protocol, CompletionMessage completion)
    {
        try
        {
            var bytes = protocol.GetMessageBytes(completion);
            await _redis.PublishAsync(_channels.Return(returnServer), RedisProtocol.WriteReturn(invocationId, protocol.Name, bytes.Span), CancellationToken.None);
        }
        catch (IOException)
        {
            // Logged by the publish; the asking server's caller ends on its own cancellation token.
        }
    }

    private void HandleReturn(byte[] data)
    {
        var (invocationId, protocolName, completion) = RedisProtocol.ReadReturn(data);
        _clientResults.TryCompleteForwarded(invocationId, type =>
        {
            var protocol = _protocols.FirstOrDefault(p => p.Name == protocolName)
                ?? throw new InvalidDataException($"this server does not have the hub protocol '{protocolName}'");
            var input = new ReadOnlySequence<byte>(completion);
            return protocol.TryParseMessage(ref input, new ResultBinder(type), out var message) && message is CompletionMessage parsed
                ? parsed
                : throw new InvalidDataException("the forwarded answer is not a completion message");
        });
    }
}
