using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.Turbo;

/// <summary>
/// The markup of a push as a lifetime manager hands it to a connection: an invocation of
/// <see cref="TurboPush.ClientMethod"/> with one string, either as a message (sent on this node) or as
/// JSON hub protocol bytes (arrived through a backplane). Anything else (pings, other methods) is not a push.
/// </summary>
internal static class PushedMarkup
{
    public static bool TryGet(HubMessage message, out string streams)
    {
        if (message is InvocationMessage { Target: TurboPush.ClientMethod, Arguments: [string markup, ..] })
        {
            streams = markup;
            return true;
        }
        streams = "";
        return false;
    }

    public static bool TryGet(SerializedHubMessage message, IHubProtocol json, out string streams) =>
        message.Message is not null ? TryGet(message.Message, out streams) : TryRead(message.GetSerializedMessage(json).Span, out streams);

    /// <summary>JSON hub protocol: <c>{"type":1,"target":"turbo-stream","arguments":["..."]}</c> then 0x1E.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> frame, out string streams)
    {
        streams = "";
        if (frame.Length > 0 && frame[^1] == 0x1E) frame = frame[..^1];
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.Number || type.GetInt32() != HubProtocolConstants.InvocationMessageType
                || !root.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String || target.GetString() != TurboPush.ClientMethod
                || !root.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array
                || arguments.GetArrayLength() < 1 || arguments[0].ValueKind != JsonValueKind.String)
                return false;
            streams = arguments[0].GetString()!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
