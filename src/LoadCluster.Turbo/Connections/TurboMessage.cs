using System.Text;

namespace LoadCluster.Turbo;

/// <summary>
/// One push as this node's connections take it: the markup, its UTF-8 bytes and its WebSocket frame,
/// each made once for every connection (the queue counts the bytes, a socket writes the frame as it is).
/// </summary>
internal sealed class TurboMessage
{
    /// <summary>Not markup: the heartbeat, an unsolicited pong on a WebSocket, an event without data on Server-Sent Events.</summary>
    public static readonly TurboMessage Heartbeat = new("", WebSocketFraming.Frame(0xA, []));

    private byte[]? _utf8;
    private byte[]? _frame;

    public TurboMessage(string markup) => Markup = markup;

    /// <summary>A WebSocket control frame (a pong, a close), with no markup.</summary>
    public TurboMessage(string markup, byte[] frame) : this(markup) => _frame = frame;

    public string Markup { get; }

    // A race makes the same bytes twice at worst.
    public ReadOnlyMemory<byte> Utf8 => _utf8 ??= Encoding.UTF8.GetBytes(Markup);

    public byte[] Frame => _frame ??= WebSocketFraming.Frame(0x1, Utf8.Span);
}
