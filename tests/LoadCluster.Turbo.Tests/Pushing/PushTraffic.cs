using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LoadCluster.Turbo.Tests.Pushing;

/// <summary>
/// Numbered pushes to one stream every 100 ms from one node, through the bus, while a test breaks
/// Redis; a push that fails (Redis away) is counted and the traffic goes on. Each client's received
/// numbers are recorded with their arrival time.
/// </summary>
internal sealed partial class PushTraffic : IAsyncDisposable
{
    private readonly ITurboPush _push;
    private readonly string _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, TimeSpan> _sentAt = new();
    private readonly List<(TurboSocketClient Client, ConcurrentQueue<(int Number, TimeSpan At)> Got, Task Reading)> _clients = [];
    private readonly Task _sending;
    private int _failed;

    public PushTraffic(ITurboPush push, string stream, IEnumerable<TurboSocketClient> clients)
    {
        _push = push;
        _stream = stream;
        foreach (var client in clients)
        {
            var got = new ConcurrentQueue<(int, TimeSpan)>();
            _clients.Add((client, got, ReadAsync(client, got)));
        }
        _sending = SendAsync();
    }

    public TimeSpan Now => _clock.Elapsed;

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Waits until every client has a push sent after <paramref name="since"/>; returns how long after it.</summary>
    public async Task<TimeSpan> ResumedAfterAsync(TimeSpan since, TimeSpan timeout)
    {
        TimeSpan First(ConcurrentQueue<(int Number, TimeSpan At)> got) =>
            got.Where(g => _sentAt.TryGetValue(g.Number, out var sent) && sent >= since).Select(g => g.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        await Wait.UntilAsync(() => _clients.All(c => First(c.Got) != TimeSpan.MaxValue), timeout, "delivery resumed on every node");
        return _clients.Max(c => First(c.Got)) - since;
    }

    /// <summary>For each client, numbers it received more than once.</summary>
    public IEnumerable<int> Duplicates() =>
        _clients.SelectMany(c => c.Got.GroupBy(g => g.Number).Where(g => g.Count() > 1).Select(g => g.Key));

    public bool AllConnected => _clients.All(c => !c.Client.Closed.IsCompleted);

    private async Task SendAsync()
    {
        for (var number = 0; !_stop.IsCancellationRequested; number++)
        {
            _sentAt[number] = Now;
            try { await _push.ToStreamsAsync(_stream, Message(number)); }
            catch (Exception) { Interlocked.Increment(ref _failed); } // Redis away: this push is lost, as pub/sub is at most once
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task ReadAsync(TurboSocketClient client, ConcurrentQueue<(int, TimeSpan)> got)
    {
        try
        {
            await foreach (var message in client.Received.ReadAllAsync(_stop.Token))
            {
                if (Number().Match(message) is { Success: true } m)
                    got.Enqueue((int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Now));
            }
        }
        catch (OperationCanceledException) { }
    }

    private static string Message(int number) => $"<turbo-stream action=\"update\" target=\"n\"><template>push {number}</template></turbo-stream>";

    [GeneratedRegex("<template>push (\\d+)</template>")]
    private static partial Regex Number();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        await Task.WhenAll(_clients.Select(c => c.Reading));
        _stop.Dispose();
    }
}
