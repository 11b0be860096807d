using System.Collections.Concurrent;
using System.Text;

namespace LoadCluster.AppHost.Tests;

/// <summary>A TextWriter that keeps every line, so a test can wait for one to appear.</summary>
internal sealed class LineLog : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyCollection<string> Lines => _lines;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public void Add(string line) => _lines.Enqueue(line);

    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = _lines.FirstOrDefault(match);
            if (found is not null) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no matching line within {timeout.TotalSeconds} s; output was:\n{string.Join('\n', _lines)}");
    }
}
