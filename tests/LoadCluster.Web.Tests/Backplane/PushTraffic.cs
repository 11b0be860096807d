using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LoadCluster.Turbo;

namespace LoadCluster.Web.Tests.Backplane;

/// <summary>
/// Numbered pushes to one stream every 100 ms from one replica, through the backplane, while a
/// test breaks Redis; a push that fails (Redis away) is counted and the traffic goes on. Each
/// client's received numbers are recorded with their arrival time.
/// </summary>
internal sealed partial class PushTraffic : IAsyncDisposable
{
    private readonly ITurboPush _push;
    private readonly string _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, TimeSpan> _sentAt = new();
    private readonly List<(SignalRJsonClient Client, ConcurrentQueue<(int Number, TimeSpan At)> Got, Task Reading)> _clients = [];
    private readonly Task _sending;
    private int _failed;

    public PushTraffic(ITurboPush push, string stream, IEnumerable<SignalRJsonClient> clients)
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
        var deadline = Now + timeout;
        while (Now < deadline)
        {
            var arrivals = _clients.Select(c => c.Got.Where(g => _sentAt.TryGetValue(g.Number, out var sent) && sent >= since).Select(g => g.At).DefaultIfEmpty(TimeSpan.MaxValue).Min()).ToList();
            if (arrivals.All(a => a != TimeSpan.MaxValue)) return arrivals.Max() - since;
            await Task.Delay(50);
        }
        throw new TimeoutException($"delivery did not resume on every replica within {timeout.TotalSeconds:0} s");
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

    private async Task ReadAsync(SignalRJsonClient client, ConcurrentQueue<(int, TimeSpan)> got)
    {
        try
        {
            await foreach (var message in client.Received.ReadAllAsync(_stop.Token))
            {
                if (message.Target == "turbo-stream" && Number().Match((string?)message.Arguments[0] ?? "") is { Success: true } m)
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
