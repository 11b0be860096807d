using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>Client results (<c>InvokeConnectionAsync&lt;T&gt;</c>) waiting for a connection held by this server.</summary>
internal sealed class LocalClientResults
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    private sealed record Pending(string ConnectionId, Type ReturnType, Action<CompletionMessage> Complete, Action<Exception> Fail);

    public Task<T> Add<T>(string invocationId, string connectionId, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[invocationId] = new Pending(
            connectionId,
            typeof(T),
            completion =>
            {
                if (completion.Error is { } error) tcs.TrySetException(new HubException(error));
                else tcs.TrySetResult(completion.HasResult ? (T)completion.Result! : default!);
            },
            e => tcs.TrySetException(e));
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                if (_pending.TryRemove(invocationId, out _)) tcs.TrySetCanceled(cancellationToken);
            });
            tcs.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return tcs.Task;
    }

    public void Remove(string invocationId) => _pending.TryRemove(invocationId, out _);

    public bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type)
    {
        type = _pending.TryGetValue(invocationId, out var pending) ? pending.ReturnType : null;
        return type is not null;
    }

    /// <summary>Completes the invocation, if it exists and was sent to this very connection.</summary>
    public void TryComplete(string connectionId, CompletionMessage completion)
    {
        if (completion.InvocationId is { } id
            && _pending.TryGetValue(id, out var pending)
            && pending.ConnectionId == connectionId
            && _pending.TryRemove(id, out _))
        {
            pending.Complete(completion);
        }
    }

    /// <summary>Completes an invocation answered on another server; <paramref name="parse"/> reads the answer as the awaited type.</summary>
    public void TryCompleteForwarded(string invocationId, Func<Type, CompletionMessage> parse)
    {
        if (!_pending.TryRemove(invocationId, out var pending)) return;
        try
        {
            pending.Complete(parse(pending.ReturnType));
        }
        catch (Exception e)
        {
            pending.Fail(new HubException($"The result of invocation '{invocationId}' could not be read: {e.Message}", e));
        }
    }

    public void FailAll(string connectionId)
    {
        foreach (var (id, pending) in _pending)
        {
            if (pending.ConnectionId == connectionId && _pending.TryRemove(id, out _))
                pending.Fail(new IOException($"Connection '{connectionId}' disconnected before it returned a result."));
        }
    }
}
