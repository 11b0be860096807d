using System.Text;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>Reads a text/event-stream response the way EventSource does: data lines joined with "\n", one event per blank line; comments skipped.</summary>
internal sealed class EventStreamReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public List<string> Comments { get; } = [];

    public async Task<string> NextEventAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var data = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("event stream ended");
            if (line.Length == 0)
            {
                if (data.Count > 0) return string.Join('\n', data);
                continue;
            }
            if (line.StartsWith(':')) Comments.Add(line);
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line["data:".Length..]);
        }
    }

    /// <summary>Reads until <paramref name="count"/> comment lines have come (the first is the server's ": connected", sent once the subscription is in place).</summary>
    public async Task WaitForCommentAsync(TimeSpan timeout, int count = 1)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Comments.Count < count)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("event stream ended");
            if (line.StartsWith(':')) Comments.Add(line);
        }
    }

    public void Dispose() => _reader.Dispose();
}
