using System.Buffers.Text;
using System.Text;

namespace LoadCluster.Benchmarks;

/// <summary>
/// An overview client for the fleet benchmark: subscribes to one signed stream and counts what
/// arrives: messages, bytes on the wire, and for every row in a message its sample-to-client delay
/// (now minus the row's <c>data-ts</c>, the sample's time on the simulator's clock, which is this
/// machine's).
/// </summary>
internal sealed class BoardClient : IAsyncDisposable
{
    private static readonly byte[] Invocation = Encoding.UTF8.GetBytes("\"target\":\"turbo-stream\"");
    private static readonly byte[] Ts = Encoding.UTF8.GetBytes("data-ts=");
    private readonly List<long> _delays = [];
    private BenchClient? _client;
    private long _messages;

    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => _client?.Bytes ?? 0;

    public static async Task<BoardClient> ConnectAsync(Uri hub, string signedStream)
    {
        var board = new BoardClient();
        board._client = await BenchClient.ConnectAsync(hub, board.Count, signedStream);
        return board;
    }

    /// <summary>Forgets everything counted so far (the subscribe-time state, the warm-up).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _messages, 0);
        _client?.ResetBytes();
        lock (_delays) _delays.Clear();
    }

    public long[] Delays()
    {
        lock (_delays) return [.. _delays];
    }

    private void Count(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf(Invocation) < 0) return;
        Interlocked.Increment(ref _messages);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        int at;
        while ((at = record.IndexOf(Ts)) >= 0)
        {
            record = record[(at + Ts.Length)..];
            // data-ts=\"123\" inside a JSON string: skip the escaped quote.
            var digits = record.IndexOfAnyInRange((byte)'0', (byte)'9');
            if (digits is < 0 or > 3) continue;
            if (Utf8Parser.TryParse(record[digits..], out long ts, out _))
            {
                lock (_delays) _delays.Add(now - ts);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
    }
}
