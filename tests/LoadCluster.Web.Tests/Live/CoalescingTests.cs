using System.Text.RegularExpressions;
using LoadCluster.Samples;
using LoadCluster.Web.Live;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Live;

/// <summary>
/// The push gate's rules against the real relay: a real Redis, the Web app on Kestrel, page sockets
/// as browsers open them. Pushes are capped at 4 per second here, so that merging shows even on a
/// fast machine. Ends are exact: what a page shows (<see cref="BoardModel"/>) reaching what the
/// samples say, or a later sample (a fence) read up to.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class CoalescingTests : IAsyncLifetime
{
    private const int MaxPushesPerSecond = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestRedis _redis = default!;
    private WebApp _app = default!;
    private ConnectionMultiplexer _publisher = default!;
    private readonly RedisNames _names = new();

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync();
        _app = await WebApp.StartAsync(_redis.ConnectionString, "web-coalesce", settings: new Dictionary<string, string?>
        {
            ["LoadCluster:MaxPushesPerSecond"] = MaxPushesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LoadCluster:OverviewRows"] = "10",
        });
        _publisher = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await RelayFixture.WaitUntilRelayingAsync(_app, _publisher, "warmup");
    }

    public async Task DisposeAsync()
    {
        _publisher.Dispose();
        await _app.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Once_the_samples_stop_every_row_a_page_shows_holds_its_hosts_latest_sample_within_the_rate()
    {
        await using var client = await _app.OpenPageAsync("/?q=fleet-&show=all");
        var board = new BoardModel();
        board.Apply(await client.NextAsync(Patience));

        const int hosts = 200, rounds = 10;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var publishedAt = DateTime.UtcNow;
        for (var round = 1; round <= rounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, hosts).Select(h =>
                PublishAsync(TestSamples.Of($"fleet-{h:000}", load1: round + h / 1000.0, ts: start + round * 1000L, intervalMs: 60_000))));
        }

        var expected = Enumerable.Range(0, hosts).ToDictionary(h => $"fleet-{h:000}", _ => start + rounds * 1000L);
        var messages = await ReadUntilAsync(client, board, () => board.Shown().Count == hosts && board.Shown().All(r => r.Value == expected[r.Key]));

        // Merged while busy: far fewer messages than samples, and never more than the cap allows.
        var samples = hosts * rounds;
        Assert.True(messages.Count < samples / 10, $"{messages.Count} messages for {samples} samples");
        var span = (messages[^1].At - publishedAt).TotalSeconds;
        Assert.True(messages.Count <= Math.Ceiling(span * MaxPushesPerSecond) + 1, $"{messages.Count} messages in {span:0.0} s at most {MaxPushesPerSecond}/s");
        foreach (var (text, _) in messages)
        {
            // The summary at most once per message (left out when it did not change), each row at most once.
            Assert.InRange(Regex.Count(text, "target=\"cluster-summary\""), 0, 1);
            var rows = RowTimes().Matches(text).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(rows.Count, rows.Distinct().Count());
        }
    }

    [Fact]
    public async Task A_sample_that_changes_nothing_a_row_shows_is_not_sent_and_once_samples_stop_every_row_shows_its_latest_sample()
    {
        await using var client = await _app.OpenPageAsync("/?q=same-&show=all");
        var board = new BoardModel();
        board.Apply(await client.NextAsync(Patience));
        const int hosts = 10;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Sample At(int h, double load1, long ts) => TestSamples.Of($"same-{h}", load1: load1, ts: ts, intervalMs: 60_000);

        // A full sparkline first, so that only the values can change what a row shows; and the fence
        // host (a host new to the view would send the whole view).
        for (var i = 0; i < ShownRow.SparklinePoints; i++)
            await Task.WhenAll(Enumerable.Range(0, hosts).Select(h => PublishAsync(At(h, 1, start + i * 1000L))));
        await PublishAsync(TestSamples.Of("same-fence", load1: 3, ts: start, intervalMs: 60_000));
        var filled = start + (ShownRow.SparklinePoints - 1) * 1000L;
        await ReadUntilAsync(client, board, () => board.Shown().Count == hosts + 1 && board.Shown().Where(r => r.Key != "same-fence").All(r => r.Value == filled));
        // Rows sent in a whole view (as hosts joined it) are not known to be held: the first change of
        // each goes out again, whatever it shows.
        filled += 1000;
        await Task.WhenAll(Enumerable.Range(0, hosts).Select(h => PublishAsync(At(h, 1, filled))));
        await ReadUntilAsync(client, board, () => board.Shown().Where(r => r.Key != "same-fence").All(r => r.Value == filled));

        // Even hosts move by less than the page shows (1.00, 0.90 and 0.80 still), odd ones by more;
        // then the fence, so that every push before it was read.
        var next = filled + 1000;
        await Task.WhenAll(Enumerable.Range(0, hosts).Select(h => PublishAsync(At(h, h % 2 == 0 ? 1.001 : 2, next))));
        await PublishAsync(TestSamples.Of("same-fence", load1: 4, ts: next, intervalMs: 60_000));
        var messages = await ReadUntilAsync(client, board, () => board.Shown()["same-fence"] == next
            && Enumerable.Range(0, hosts).Where(h => h % 2 == 1).All(h => board.Shown()[$"same-{h}"] == next));

        var resent = messages.SelectMany(m => RowTimes().Matches(m.Text)).Select(m => m.Groups[1].Value).Where(name => name != "same-fence").Distinct().Order().ToList();
        Assert.Equal(["same-1", "same-3", "same-5", "same-7", "same-9"], resent);
        // Every row the client holds shows what the page shows for its host's latest sample (all but the sample time).
        var page = new BoardModel();
        page.AddRows(await _app.Http.GetStringAsync("/?q=same-&show=all"));
        Assert.Equal(hosts + 1, page.Rows.Count);
        Assert.Equal(page.Rows.ToDictionary(r => r.Key, r => WithoutTs(r.Value.Markup)), board.Rows.ToDictionary(r => r.Key, r => WithoutTs(r.Value.Markup)));
    }

    private static string WithoutTs(string row) => DataTs().Replace(row, "");

    [GeneratedRegex(" data-ts=\"\\d+\"")]
    private static partial Regex DataTs();

    [Fact]
    public async Task A_row_is_never_replaced_by_an_older_sample()
    {
        await RelayFixture.WaitUntilRelayingAsync(_app, _publisher, "order-fence");
        await using var client = await _app.OpenPageAsync("/?q=order-&show=all");
        await client.NextAsync(Patience);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 1; i <= 30; i++) await PublishAsync(TestSamples.Of("order-1", load1: i, ts: start + i, intervalMs: 60_000));
        // Late, older samples (a collector's retry, a clock step) must not win.
        await PublishAsync(TestSamples.Of("order-1", load1: 99, ts: start + 5, intervalMs: 60_000));
        await PublishAsync(TestSamples.Of("order-fence", load1: 12.34, intervalMs: 60_000));

        var board = new BoardModel();
        var seen = new List<long>();
        foreach (var text in await client.ReadUntilAsync(m => m.Contains("id=\"host-order-fence-load1\">12.34<", StringComparison.Ordinal), Patience))
        {
            board.Apply(text);
            seen.AddRange(RowTimes().Matches(text).Where(m => m.Groups[1].Value == "order-1").Select(m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(start + 30, seen[^1]);
    }

    [Fact]
    public async Task An_idle_stream_gets_a_sample_in_one_message_with_its_row_and_the_summary_once()
    {
        await RelayFixture.WaitUntilRelayingAsync(_app, _publisher, "idle-fence");
        await RelayFixture.WaitUntilRelayingAsync(_app, _publisher, "idle-1");
        await using var client = await _app.OpenPageAsync("/?q=idle-");
        await client.NextAsync(Patience);
        // A first client's state is followed by a push of what the others may lack: let it pass.
        await PublishAsync(RelayFixture.Slow("idle-fence", load1: 1.23));
        await client.ReadUntilAsync(m => m.Contains("id=\"host-idle-fence-load1\">1.23<", StringComparison.Ordinal), Patience);

        await PublishAsync(RelayFixture.Slow("idle-1", load1: 2.34));
        var message = await client.NextAsync(Patience);
        await PublishAsync(RelayFixture.Slow("idle-fence", load1: 4.32));
        var after = await client.ReadUntilAsync(m => m.Contains("id=\"host-idle-fence-load1\">4.32<", StringComparison.Ordinal), Patience);

        Assert.Contains("id=\"host-idle-1-load1\">2.34<", message, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(message, "target=\"cluster-summary\""));
        Assert.DoesNotContain(after, m => m.Contains("host-idle-1-load1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sorted_view_keeps_its_order_and_its_first_rows_as_values_change()
    {
        await using var client = await _app.OpenPageAsync("/?q=top-&sort=load1");
        var board = new BoardModel();
        board.Apply(await client.NextAsync(Patience));
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var load = Enumerable.Range(0, 14).ToDictionary(i => $"top-{i:00}", i => (double)i);
        foreach (var (host, value) in load) await PublishAsync(TestSamples.Of(host, load1: value, ts: start, intervalMs: 60_000));
        await ReadUntilAsync(client, board, () => Order(board).SequenceEqual(Expected(load)));

        // The lowest two climb to the top; two others drop out of the first ten.
        load["top-00"] = 50;
        load["top-01"] = 40;
        foreach (var host in new[] { "top-00", "top-01" }) await PublishAsync(TestSamples.Of(host, load1: load[host], ts: start + 1000, intervalMs: 60_000));
        await ReadUntilAsync(client, board, () => Order(board).SequenceEqual(Expected(load)));

        Assert.Equal(Expected(load), Order(board));

        static List<string> Expected(Dictionary<string, double> load) => load.OrderByDescending(l => l.Value).Take(10).Select(l => "host-" + l.Key).ToList();
        static List<string> Order(BoardModel board) => board.Rows.OrderBy(r => r.Value.Order).Select(r => r.Key).ToList();
    }

    [Fact]
    public async Task View_streams_nobody_listens_to_any_more_are_dropped()
    {
        var streams = _app.Services.GetRequiredService<LiveStreams>();
        var clients = new List<TurboSocketClient>();
        foreach (var page in new[] { "/?q=gone-a", "/?q=gone-b&sort=cpu", "/?state=offline&q=gone-c" })
        {
            clients.Add(await _app.OpenPageAsync(page));
            await clients[^1].NextAsync(Patience);
        }
        Assert.InRange(streams.ViewCount, 3, int.MaxValue);

        foreach (var client in clients) await client.DisposeAsync();

        // A change makes each view's gate look: nobody listens, so it forgets the view.
        await Wait.UntilAsync(async () =>
        {
            await PublishAsync(RelayFixture.Slow("gone-a1"));
            return streams.ViewCount == 0;
        }, Patience, "the views dropped");
    }

    /// <summary>Applies each message to <paramref name="board"/> until <paramref name="done"/>; returns them with their arrival times.</summary>
    private static async Task<List<(string Text, DateTime At)>> ReadUntilAsync(TurboSocketClient client, BoardModel board, Func<bool> done)
    {
        var messages = new List<(string, DateTime)>();
        while (!done())
        {
            var text = await client.NextAsync(Patience);
            board.Apply(text);
            messages.Add((text, DateTime.UtcNow));
        }
        return messages;
    }

    private Task PublishAsync(Sample sample) => _publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(_names.SamplesChannel(sample.Host)), SampleJson.Serialize(sample));

    [GeneratedRegex("<tr id=\"host-([^\"]+)\"[^>]*data-ts=\"(\\d+)\"")]
    private static partial Regex RowTimes();
}
