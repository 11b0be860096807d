using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.Turbo;

/// <summary>
/// The markup of a push as the bus hands it to a relay: an invocation of <see cref="TurboPush.ClientMethod"/>
/// with one string, either as a message (sent on this node) or as JSON hub protocol bytes (arrived
/// through a backplane, read with the protocol's own parser). Anything else is not a push.
/// </summary>
internal static class PushedMarkup
{
    private static readonly Binder OneString = new();

    public static bool TryGet(HubMessage? message, out string streams)
    {
        streams = message is InvocationMessage { Target: TurboPush.ClientMethod, Arguments: [string markup, ..] } ? markup : null!;
        return streams is not null;
    }

    public static bool TryGet(SerializedHubMessage message, IHubProtocol json, out string streams)
    {
        if (message.Message is not null) return TryGet(message.Message, out streams);
        var bytes = new ReadOnlySequence<byte>(message.GetSerializedMessage(json));
        try
        {
            json.TryParseMessage(ref bytes, OneString, out var parsed);
            return TryGet(parsed, out streams);
        }
        catch (InvalidDataException)
        {
            // Not a push of ours (anyone who may publish on the backplane's channels can send anything).
            streams = null!;
            return false;
        }
    }

    /// <summary>Tells the parser a push's one argument is a string.</summary>
    private sealed class Binder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(string)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
