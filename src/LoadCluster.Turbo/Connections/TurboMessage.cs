using System.Text;

namespace LoadCluster.Turbo;

/// <summary>
/// One push as this node's connections take it: the markup, and its UTF-8 bytes made once for
/// every connection (a WebSocket sends them as they are, the queue counts them).
/// </summary>
internal sealed class TurboMessage(string markup)
{
    /// <summary>Not markup: tells an idle connection's writer to send its framing's heartbeat.</summary>
    public static readonly TurboMessage Heartbeat = new("");

    private byte[]? _utf8;

    public string Markup => markup;

    /// <summary>For the peer benchmark's hand-written framer only: the frame, made once for every socket.</summary>
    public byte[]? RawFrame { get; set; }

    // A race makes the same bytes twice at worst.
    public ReadOnlyMemory<byte> Utf8 => _utf8 ??= Encoding.UTF8.GetBytes(markup);
}
