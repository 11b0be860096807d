using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// A hub message travelling between servers, already serialized for every protocol.
/// </summary>
/// <param name="Origin">The sending server; it delivered to its own connections itself and ignores its echo.</param>
/// <param name="ExcludedConnectionIds">Connections that must not get it (all-except, group-except).</param>
/// <param name="Groups">For a send to several groups, the whole ordered list, so each server can deliver once per connection.</param>
/// <param name="Message">The bytes per protocol, written to connections as they are.</param>
/// <param name="ResultRoute">For a client result: where the connection's answer must go; otherwise null.</param>
internal sealed record RedisInvocation(
    string Origin,
    IReadOnlyList<string> ExcludedConnectionIds,
    IReadOnlyList<string> Groups,
    SerializedHubMessage Message,
    ClientResultRoute? ResultRoute = null);

/// <summary>A client result asked by <paramref name="ReturnServer"/>: the answer to <paramref name="InvocationId"/> goes back to it.</summary>
internal sealed record ClientResultRoute(string InvocationId, string ReturnServer);
