using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LoadCluster.Turbo;

/// <summary>
/// FOR THE PEER BENCHMARK ONLY (chosen with LOADCLUSTER_TURBO_FRAMER=raw): the hand-written RFC 6455
/// framer the library had, on the same pipeline as <see cref="WebSocketFraming"/>, so the two are
/// measured side by side. A push is framed once and the same bytes are written to every socket.
/// </summary>
internal static class RawWebSocketFraming
{
    public static readonly bool Chosen = Environment.GetEnvironmentVariable("LOADCLUSTER_TURBO_FRAMER") == "raw";

    private static readonly byte[] Pong = [0x8A, 0];

    public static bool TryAccept(HttpContext context, out Func<Task<Stream>> accept)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        accept = null!;
        if (upgrade is not { IsUpgradableRequest: true } || !context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || context.Request.Headers.SecWebSocketVersion.ToString() != "13" || key.Length != 24) return false;
        accept = () =>
        {
            context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            return upgrade.UpgradeAsync();
        };
        return true;
    }

    public static async Task ServeAsync(Stream stream, TurboConnection connection)
    {
        var writing = WriteAsync(stream, connection);
        try
        {
            await ReadUntilClosedAsync(stream, connection);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.Close(discard: true);
            await writing;
        }
    }

    private static async Task WriteAsync(Stream stream, TurboConnection connection)
    {
        try
        {
            while (await connection.NextAsync() is { } message)
                await stream.WriteAsync(ReferenceEquals(message, TurboMessage.Heartbeat) ? Pong : message.RawFrame ??= Frame(0x1, message.Utf8.Span));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            connection.Close(discard: true);
            connection.Context.Abort();
        }
    }

    private static async Task ReadUntilClosedAsync(Stream stream, TurboConnection connection)
    {
        while (true)
        {
#pragma warning disable CA2022 // a zero-byte read waits for data without holding a buffer
            await stream.ReadAsync(Memory<byte>.Empty);
#pragma warning restore CA2022
            var buffer = ArrayPool<byte>.Shared.Rent(14 + 125);
            try
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, 2));
                var opcode = buffer[0] & 0x0F;
                var length = buffer[1] & 0x7F;
                if ((buffer[1] & 0x80) == 0 || opcode is 0 or 1 or 2 || length > 125)
                {
                    connection.Send(new TurboMessage("")); // not reached by Turbo's element
                    return;
                }
                await stream.ReadExactlyAsync(buffer.AsMemory(0, 4 + length));
                for (var i = 0; i < length; i++) buffer[4 + i] ^= buffer[i % 4];
                if (opcode == 0x9) await stream.WriteAsync(Frame(0xA, buffer.AsSpan(4, length)));
                if (opcode == 0x8)
                {
                    await stream.WriteAsync(Frame(0x8, length >= 2 ? buffer.AsSpan(4, 2) : [0x03, 0xE8]));
                    return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static byte[] Frame(int opcode, ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2) frame[1] = (byte)payload.Length;
        else if (header == 4) { frame[1] = 126; BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length); }
        else { frame[1] = 127; BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length); }
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
