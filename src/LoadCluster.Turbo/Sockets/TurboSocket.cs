using System.Buffers;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// One browser's upgraded connection on the socket endpoint. It holds no buffer while idle: reads
/// wait with a zero-byte read and borrow a small pooled buffer only while a frame is read (the
/// browser sends nothing but control frames), and writes take frames already made for every socket.
/// Writes never block the caller: while one is in flight the next wait in a bounded backlog; a browser
/// that falls <see cref="MaxBacklog"/> frames behind is dropped (it reconnects and resyncs).
/// </summary>
internal sealed class TurboSocket(Stream stream, HttpContext context)
{
    /// <summary>Frames waiting behind a write in flight before the socket counts as stuck.</summary>
    internal const int MaxBacklog = 256;

    private const int MaxHeader = 14;

    private readonly Lock _gate = new();
    private Queue<byte[]>? _backlog;
    private bool _writing;
    private bool _closed;

    /// <summary>Queues a frame (from <see cref="WebSocketFrames"/>); starts writing at once when nothing is in flight.</summary>
    public void Send(byte[] frame)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_writing)
            {
                _backlog ??= new Queue<byte[]>();
                if (_backlog.Count >= MaxBacklog)
                {
                    _closed = true;
                    _backlog = null;
                    context.Abort();
                    return;
                }
                _backlog.Enqueue(frame);
                return;
            }
            _writing = true;
        }
        _ = WriteAsync(frame);
    }

    private async Task WriteAsync(byte[] frame)
    {
        try
        {
            while (true)
            {
                // Kestrel's upgraded stream flushes on every write: no FlushAsync after it.
                await stream.WriteAsync(frame);
                lock (_gate)
                {
                    // After a close frame nothing new is queued, but what is queued (the close) still goes.
                    if (_backlog is not { Count: > 0 })
                    {
                        _writing = false;
                        _backlog = null; // an idle socket holds no queue
                        return;
                    }
                    frame = _backlog.Dequeue();
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The connection is gone; the read loop sees it too and ends the socket.
            lock (_gate)
            {
                _closed = true;
                _writing = false;
                _backlog = null;
            }
            context.Abort();
        }
    }

    /// <summary>
    /// Reads the browser's frames until it closes: answers pings, echoes a close, and closes with
    /// 1003 on a data frame (Turbo's element sends none). Returns when the socket is done.
    /// </summary>
    public async Task ReadUntilClosedAsync(CancellationToken aborted)
    {
        try
        {
            while (true)
            {
                // A zero-byte read waits for data without holding a buffer; it reads nothing by design.
#pragma warning disable CA2022
                await stream.ReadAsync(Memory<byte>.Empty, aborted);
#pragma warning restore CA2022
                var buffer = ArrayPool<byte>.Shared.Rent(MaxHeader + WebSocketFrames.MaxControlPayload);
                try
                {
                    if (!await ReadFrameAsync(buffer, aborted)) return;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser went away or the connection was aborted.
        }
        finally
        {
            lock (_gate) _closed = true;
        }
    }

    /// <summary>One client frame; false when the socket is to end.</summary>
    private async Task<bool> ReadFrameAsync(byte[] buffer, CancellationToken aborted)
    {
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 2), aborted);
        var opcode = (byte)(buffer[0] & 0x0F);
        var masked = (buffer[1] & 0x80) != 0;
        long length = buffer[1] & 0x7F;
        // Browsers mask every frame (RFC 6455 5.1), and Turbo sends no data: anything else ends the socket.
        if (!masked) return false;
        if (opcode is WebSocketFrames.Text or WebSocketFrames.Binary or WebSocketFrames.Continuation)
        {
            SendFinal(WebSocketFrames.UnsupportedDataClose);
            return false;
        }
        if (length > WebSocketFrames.MaxControlPayload) return false;
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 4 + (int)length), aborted);
        var payload = buffer.AsSpan(4, (int)length);
        for (var i = 0; i < payload.Length; i++) payload[i] ^= buffer[i % 4];
        switch (opcode)
        {
            case WebSocketFrames.Ping:
                Send(WebSocketFrames.Frame(WebSocketFrames.Pong, payload));
                return true;
            case WebSocketFrames.Close:
                var status = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : (ushort)1000;
                SendFinal(status == 1000 ? WebSocketFrames.NormalClose : WebSocketFrames.Frame(WebSocketFrames.Close, payload[..2]));
                return false;
            default:
                return true; // a pong
        }
    }

    /// <summary>Queues a last frame (a close) behind whatever is in flight; nothing is sent after it.</summary>
    private void SendFinal(byte[] frame)
    {
        Send(frame);
        lock (_gate) _closed = true;
    }
}
