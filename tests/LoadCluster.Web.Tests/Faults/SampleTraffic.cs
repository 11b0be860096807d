using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Faults;

/// <summary>
/// Numbered samples of one host every 100 ms, published to Redis as a collector does, while a test
/// breaks Redis; a publish that fails (Redis away) is counted and the traffic goes on. Sample n has
/// a load of n/100, so each page socket's values say which samples reached it and when.
/// </summary>
internal sealed class SampleTraffic : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _publisher;
    private readonly string _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, TimeSpan> _sentAt = new();
    private readonly List<(TurboSocketClient Client, ConcurrentQueue<(int Number, TimeSpan At)> Got, Task Reading)> _clients = [];
    private readonly Regex _value;
    private readonly Task _sending;
    private int _failed;

    private SampleTraffic(ConnectionMultiplexer publisher, string host, IEnumerable<TurboSocketClient> clients)
    {
        _publisher = publisher;
        _host = host;
        _value = new Regex($"id=\"host-{Regex.Escape(host)}-load1\">([0-9.]+)<");
        foreach (var client in clients)
        {
            var got = new ConcurrentQueue<(int, TimeSpan)>();
            _clients.Add((client, got, ReadAsync(client, got)));
        }
        _sending = SendAsync();
    }

    public static async Task<SampleTraffic> StartAsync(string redis, string host, IEnumerable<TurboSocketClient> clients) =>
        new(await ConnectionMultiplexer.ConnectAsync(redis), host, clients);

    public TimeSpan Now => _clock.Elapsed;

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Waits until every page has a sample published after <paramref name="since"/>; returns how long after it.</summary>
    public async Task<TimeSpan> ResumedAfterAsync(TimeSpan since, TimeSpan timeout)
    {
        TimeSpan First(ConcurrentQueue<(int Number, TimeSpan At)> got) =>
            got.Where(g => _sentAt.TryGetValue(g.Number, out var sent) && sent >= since).Select(g => g.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        await Wait.UntilAsync(() => _clients.All(c => First(c.Got) != TimeSpan.MaxValue), timeout, "samples reached every page again");
        return _clients.Max(c => First(c.Got)) - since;
    }

    public bool AllConnected => _clients.All(c => !c.Client.Closed.IsCompleted);

    private async Task SendAsync()
    {
        var channel = RedisChannel.Literal(new RedisNames().SamplesChannel);
        for (var number = 1; !_stop.IsCancellationRequested; number++)
        {
            _sentAt[number] = Now;
            try { await _publisher.GetSubscriber().PublishAsync(channel, SampleJson.Serialize(TestSamples.Of(_host, load1: number / 100.0, intervalMs: 60_000))); }
            catch (Exception) { Interlocked.Increment(ref _failed); } // Redis away: this sample is lost, as pub/sub is at most once
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task ReadAsync(TurboSocketClient client, ConcurrentQueue<(int, TimeSpan)> got)
    {
        try
        {
            await foreach (var message in client.Received.ReadAllAsync(_stop.Token))
            {
                foreach (Match m in _value.Matches(message))
                    got.Enqueue(((int)Math.Round(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 100), Now));
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
        await _publisher.DisposeAsync();
    }
}
