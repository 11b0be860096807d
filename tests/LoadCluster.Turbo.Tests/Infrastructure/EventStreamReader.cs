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

    /// <summary>Reads until the first comment line (the server's ": connected"), so the subscription is in place.</summary>
    public async Task WaitForCommentAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (Comments.Count == 0)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("event stream ended");
            if (line.StartsWith(':')) Comments.Add(line);
        }
    }

    public void Dispose() => _reader.Dispose();
}
