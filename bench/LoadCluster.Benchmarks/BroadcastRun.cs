using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.Benchmarks;

/// <summary>
/// Broadcasts from server 0 to every connection of every server, over real WebSockets. Each
/// message carries its send timestamp; clients record the delay. Two phases: a paced one for
/// latency (one send, then 20 ms), then a flood of up to 16 concurrent sends for throughput.
/// </summary>
internal sealed class BroadcastRun(IReadOnlyList<BenchServer> servers, int connections)
{
    public sealed record Result(double BroadcastsPerSecond, double DeliveriesPerSecond, double P50Ms, double P99Ms, double MaxMs, long Missing);

    private const int InFlight = 16;
    private static readonly byte[] ArgumentsMarker = Encoding.UTF8.GetBytes("\"arguments\":[");

    private readonly List<BenchClient> _clients = [];
    private readonly List<List<long>> _delays = [];
    private long _received;

    public async Task ConnectAsync()
    {
        for (var batch = 0; batch < connections; batch += 50)
        {
            var count = Math.Min(50, connections - batch);
            var delays = Enumerable.Range(0, count).Select(_ => new List<long>()).ToArray();
            _delays.AddRange(delays);
            _clients.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
                BenchClient.ConnectAsync(servers[(batch + i) % servers.Count].HubUri, record => OnRecord(delays[i], record)))));
        }
    }

    // The benchmark's invocation is "arguments":[ticks]: read the number where it starts.
    private void OnRecord(List<long> delays, ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf(ArgumentsMarker);
        if (at >= 0 && Utf8Parser.TryParse(record[(at + ArgumentsMarker.Length)..], out long ticks, out _)) Record(delays, ticks);
    }

    private void Record(List<long> delays, long sentAt)
    {
        var delay = Stopwatch.GetTimestamp() - sentAt;
        lock (delays) delays.Add(delay);
        Interlocked.Increment(ref _received);
    }

    /// <summary>Sends <paramref name="messages"/> broadcasts, <paramref name="pause"/> apart (zero = back to back), and waits for delivery.</summary>
    public async Task<Result> RunAsync(int messages, TimeSpan pause)
    {
        foreach (var delays in _delays) lock (delays) delays.Clear();
        Interlocked.Exchange(ref _received, 0);
        var hub = servers[0].Hub;
        var expected = (long)messages * _clients.Count;
        var clock = Stopwatch.StartNew();
        if (pause > TimeSpan.Zero)
        {
            for (var i = 0; i < messages; i++)
            {
                await hub.Clients.All.SendAsync("m", Stopwatch.GetTimestamp());
                await Task.Delay(pause);
            }
        }
        else
        {
            // Flood: up to InFlight sends at once, as several request threads pushing would do.
            var inFlight = new List<Task>();
            for (var i = 0; i < messages; i++)
            {
                if (inFlight.Count == InFlight) inFlight.Remove(await Task.WhenAny(inFlight));
                inFlight.Add(hub.Clients.All.SendAsync("m", Stopwatch.GetTimestamp()));
            }
            await Task.WhenAll(inFlight);
        }
        var sent = clock.Elapsed;
        while (Interlocked.Read(ref _received) < expected && clock.Elapsed < sent + TimeSpan.FromSeconds(30)) await Task.Delay(5);
        var done = clock.Elapsed;
        var all = _delays.SelectMany(d => { lock (d) return d.ToArray(); }).Order().ToArray();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)(p * all.Length))]);
        return new Result(messages / sent.TotalSeconds, all.Length / done.TotalSeconds, Percentile(0.50), Percentile(0.99), all.Length == 0 ? double.NaN : Ms(all[^1]), expected - all.Length);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
    }
}
