using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Connections;

/// <summary>
/// RFC 6455 at the frame level, from a raw TCP client, for the library's own framer: the endpoint
/// answers what the protocol wants (a pong for a ping, its close echoed), closes with 1002 on every
/// protocol error (5.1, 5.2, 5.5, 7.4.1), with 1007 on a close reason that is not UTF-8 (8.1) and with
/// 1003 on data a Turbo page never sends, and keeps serving new connections.
/// </summary>
public sealed class ProtocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static TheoryData<string, byte[], ushort> Closing => new()
    {
        { "a fragmented ping", Frame(0x09, "ping"u8, fin: false), 1002 },
        { "RSV1 set", Frame(0x01 | 0x40, "x"u8), 1002 },
        { "RSV2 and RSV3 set on a ping", Frame(0x09 | 0x30, "x"u8), 1002 },
        { "reserved opcode 0xB", Frame(0x0B, "x"u8), 1002 },
        { "reserved opcode 0x3", Frame(0x03, "x"u8), 1002 },
        { "a continuation that continues nothing", Frame(0x00, "x"u8), 1002 },
        { "a ping of 126 bytes", Frame(0x09, new byte[126]), 1002 },
        { "an unmasked frame", Frame(0x09, "x"u8, masked: false), 1002 },
        { "a close whose reason is not UTF-8", Frame(0x08, [0x03, 0xE8, 0xC3, 0x28]), 1007 },
        { "close code 9999", Close(9999), 1002 },
        { "close code 1005, which may not be sent", Close(1005), 1002 },
        { "a close with a one-byte body", Frame(0x08, [0x03]), 1002 },
        { "a text message", Frame(0x01, "hello"u8), 1003 },
        { "a binary message", Frame(0x02, [1, 2, 3]), 1003 },
        { "a close with code 1000", Close(1000), 1000 },
        { "a close with code 4001 (private use)", Close(4001), 4001 },
    };

    [Theory]
    [MemberData(nameof(Closing))]
    public async Task The_endpoint_closes_with_the_status_RFC_6455_wants_and_keeps_serving(string frame, byte[] bytes, ushort status)
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        using var client = await RawSocket.OpenAsync(app);
        Assert.Equal(FixedStreamState.Markup("hosts"), Encoding.UTF8.GetString(await client.ReadFrameAsync(0x01)));

        await client.WriteAsync(bytes);

        var close = await client.ReadFrameAsync(0x08);
        Assert.True(close.Length >= 2, $"after {frame} the close frame carries no status");
        Assert.Equal(status, BinaryPrimitives.ReadUInt16BigEndian(close));
        await using var next = await app.ConnectAsync("hosts");
        Assert.Equal(FixedStreamState.Markup("hosts"), await next.NextAsync(Patience));
    }

    [Fact]
    public async Task A_ping_is_answered_with_a_pong_carrying_its_payload_and_the_socket_stays_open()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        using var client = await RawSocket.OpenAsync(app);
        await client.ReadFrameAsync(0x01);

        await client.WriteAsync(Frame(0x09, "are you there"u8));

        Assert.Equal("are you there", Encoding.UTF8.GetString(await client.ReadFrameAsync(0x0A)));
        await app.Push.ToStreamsAsync("hosts", "<turbo-stream action=\"refresh\"></turbo-stream>");
        Assert.Equal("<turbo-stream action=\"refresh\"></turbo-stream>", Encoding.UTF8.GetString(await client.ReadFrameAsync(0x01)));
    }

    [Fact]
    public async Task An_idle_socket_gets_an_unsolicited_pong_every_heartbeat()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:Heartbeat"] = "00:00:00.200" });
        using var client = await RawSocket.OpenAsync(app);

        Assert.Empty(await client.ReadFrameAsync(0x0A));
        Assert.Empty(await client.ReadFrameAsync(0x0A));
    }

    /// <summary>A client frame: FIN (unless told otherwise) and opcode, masked (unless told otherwise) with a fixed key.</summary>
    private static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true)
    {
        var header = payload.Length < 126 ? 2 : 4;
        var frame = new byte[header + (masked ? 4 : 0) + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        if (header == 2) frame[1] = (byte)payload.Length;
        else
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        if (!masked)
        {
            payload.CopyTo(frame.AsSpan(header));
            return frame;
        }
        frame[1] |= 0x80;
        byte[] key = [0x37, 0xFA, 0x21, 0x3D];
        key.CopyTo(frame, header);
        for (var i = 0; i < payload.Length; i++) frame[header + 4 + i] = (byte)(payload[i] ^ key[i % 4]);
        return frame;
    }

    private static byte[] Close(ushort status)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, status);
        return Frame(0x08, payload);
    }

    /// <summary>A TCP connection that made the WebSocket handshake by hand and reads server frames one by one.</summary>
    private sealed class RawSocket : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;

        private RawSocket(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
        }

        public static async Task<RawSocket> OpenAsync(TurboTestApp app)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", app.BaseUri.Port);
            var socket = new RawSocket(tcp);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var path = "/turbo-stream?stream=" + Uri.EscapeDataString(app.Signer.Sign("hosts"));
            await socket.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {app.BaseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                head.Append((char)await socket.ReadByteAsync());
            Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            Assert.Contains($"Sec-WebSocket-Accept: {accept}", head.ToString(), StringComparison.OrdinalIgnoreCase);
            return socket;
        }

        public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

        /// <summary>Reads server frames until one with <paramref name="opcode"/>; returns its payload. Server frames are never masked.</summary>
        public async Task<byte[]> ReadFrameAsync(int opcode)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (true)
            {
                var header = new byte[2];
                await _stream.ReadExactlyAsync(header, timeout.Token);
                Assert.Equal(0, header[1] & 0x80);
                long length = header[1] & 0x7F;
                if (length == 126)
                {
                    var extended = new byte[2];
                    await _stream.ReadExactlyAsync(extended, timeout.Token);
                    length = BinaryPrimitives.ReadUInt16BigEndian(extended);
                }
                else if (length == 127)
                {
                    var extended = new byte[8];
                    await _stream.ReadExactlyAsync(extended, timeout.Token);
                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
                }
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, timeout.Token);
                if ((header[0] & 0x0F) == opcode) return payload;
            }
        }

        private async Task<int> ReadByteAsync()
        {
            var one = new byte[1];
            await _stream.ReadExactlyAsync(one);
            return one[0];
        }

        public void Dispose()
        {
            _stream.Dispose();
            _tcp.Dispose();
        }
    }
}
