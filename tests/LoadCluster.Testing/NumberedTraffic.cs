using System.Collections.Concurrent;
using System.Diagnostics;

namespace LoadCluster.Testing;

/// <summary>
/// Numbered messages sent every 100 ms while a test breaks something; a send that fails (Redis
/// away) is counted and the traffic goes on. Each page socket's received numbers are recorded with
/// their arrival time, so a test can say when delivery resumed, and whether anything came twice.
/// </summary>
public sealed class NumberedTraffic : IAsyncDisposable
{
    private readonly Func<int, Task> _send;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, TimeSpan> _sentAt = new();
    private readonly List<(TurboSocketClient Client, ConcurrentQueue<(int Number, TimeSpan At)> Got, Task Reading)> _clients = [];
    private readonly Task _sending;
    private int _failed;

    /// <param name="send">Sends message number n (1, 2, …).</param>
    /// <param name="numbersIn">The numbers a received message carries.</param>
    public NumberedTraffic(Func<int, Task> send, Func<string, IEnumerable<int>> numbersIn, IEnumerable<TurboSocketClient> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _send = send;
        foreach (var client in clients)
        {
            var got = new ConcurrentQueue<(int, TimeSpan)>();
            _clients.Add((client, got, ReadAsync(client, got, numbersIn)));
        }
        _sending = SendAsync();
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Sends that failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>True while no client's socket has closed.</summary>
    public bool AllConnected => _clients.All(c => !c.Client.Closed.IsCompleted);

    /// <summary>Waits until every client has a message sent after <paramref name="since"/>; returns how long after it.</summary>
    public async Task<TimeSpan> ResumedAfterAsync(TimeSpan since, TimeSpan timeout)
    {
        TimeSpan First(ConcurrentQueue<(int Number, TimeSpan At)> got) =>
            got.Where(g => _sentAt.TryGetValue(g.Number, out var sent) && sent >= since).Select(g => g.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        await Wait.UntilAsync(() => _clients.All(c => First(c.Got) != TimeSpan.MaxValue), timeout, "messages reached every client again");
        return _clients.Max(c => First(c.Got)) - since;
    }

    /// <summary>For each client, numbers it received more than once.</summary>
    public IEnumerable<int> Duplicates() =>
        _clients.SelectMany(c => c.Got.GroupBy(g => g.Number).Where(g => g.Count() > 1).Select(g => g.Key));

    private async Task SendAsync()
    {
        for (var number = 1; !_stop.IsCancellationRequested; number++)
        {
            _sentAt[number] = Now;
            try { await _send(number); }
            catch (Exception) { Interlocked.Increment(ref _failed); } // Redis away: this one is lost, as pub/sub is at most once
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task ReadAsync(TurboSocketClient client, ConcurrentQueue<(int, TimeSpan)> got, Func<string, IEnumerable<int>> numbersIn)
    {
        try
        {
            await foreach (var message in client.Received.ReadAllAsync(_stop.Token))
            {
                foreach (var number in numbersIn(message)) got.Enqueue((number, Now));
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sending;
        await Task.WhenAll(_clients.Select(c => c.Reading));
        _stop.Dispose();
    }
}
