using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LoadCluster.Turbo;

/// <summary>
/// The little of RFC 6455 the socket endpoint speaks. Server frames are never masked, so one frame's
/// bytes can be written as they are to every socket: a push is framed once, not once per browser.
/// Wire format of a server frame: byte 0 = FIN | opcode; byte 1 = payload length when under 126,
/// else 126 and a 16-bit length, or 127 and a 64-bit length (network order); then the payload.
/// </summary>
internal static class WebSocketFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>Largest payload of a control frame (ping, pong, close).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>An unsolicited pong: a one-way heartbeat browsers ignore, which keeps proxies from closing an idle socket.</summary>
    public static readonly byte[] Heartbeat = [0x80 | Pong, 0];

    /// <summary>Close with status 1000 (normal closure).</summary>
    public static readonly byte[] NormalClose = [0x80 | Close, 2, 0x03, 0xE8];

    /// <summary>Close with status 1003: the endpoint takes no data from the browser (Turbo sends none).</summary>
    public static readonly byte[] UnsupportedDataClose = [0x80 | Close, 2, 0x03, 0xEB];

    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Sec-WebSocket-Accept for a Sec-WebSocket-Key.</summary>
    public static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>One final text frame holding <paramref name="markup"/> as UTF-8.</summary>
    public static byte[] TextFrame(string markup) => Frame(Text, Encoding.UTF8.GetBytes(markup));

    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        switch (header)
        {
            case 2:
                frame[1] = (byte)payload.Length;
                break;
            case 4:
                frame[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
