using System.Text.RegularExpressions;
using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Relay;

/// <summary>
/// The coalescing rules against the real relay: a real redis-server, the Web app on Kestrel, a
/// WebSocket client subscribed like a browser. Pushes are capped at 4 per second here, so that
/// merging shows even on a fast machine.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class CoalescingTests : IAsyncLifetime
{
    private const int MaxPushesPerSecond = 4;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

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
        await Eventually.GetAsync(async () =>
        {
            await PublishAsync(RelayFixture.Slow("warmup"));
            await Task.Delay(200);
            return await _app.Http.GetStringAsync("/api/hosts");
        }, json => json.Contains("\"warmup\"", StringComparison.Ordinal), "the relay running");
    }

    public async Task DisposeAsync()
    {
        _publisher.Dispose();
        await _app.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task After_the_stream_goes_quiet_every_row_a_client_shows_holds_its_hosts_latest_sample()
    {
        await using var client = await SubscribeAsync("/?q=fleet-&show=all");
        var board = new BoardModel();
        foreach (var state in await client.DrainAsync(TimeSpan.FromSeconds(1))) board.Apply(TextOf(state));

        const int hosts = 200, rounds = 10;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var publishedAt = DateTime.UtcNow;
        for (var round = 1; round <= rounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, hosts).Select(h =>
                PublishAsync(TestSamples.Of($"fleet-{h:000}", load1: round + h / 1000.0, ts: start + round * 1000L, intervalMs: 60_000))));
        }

        var messages = await ReceiveUntilQuietAsync(client, board);

        var expected = Enumerable.Range(0, hosts).ToDictionary(h => $"fleet-{h:000}", _ => start + rounds * 1000L);
        Assert.Equal(expected.OrderBy(e => e.Key), board.Shown().OrderBy(e => e.Key));
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
    public async Task A_row_is_never_replaced_by_an_older_sample()
    {
        await using var client = await SubscribeAsync("/?q=order-&show=all");
        await client.DrainAsync(TimeSpan.FromSeconds(1));
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 1; i <= 30; i++) await PublishAsync(TestSamples.Of("order-1", load1: i, ts: start + i, intervalMs: 60_000));
        // Late, older samples (a collector's retry, a clock step) must not win.
        await PublishAsync(TestSamples.Of("order-1", load1: 99, ts: start + 5, intervalMs: 60_000));

        var seen = new List<long>();
        var board = new BoardModel();
        foreach (var (text, _) in await ReceiveUntilQuietAsync(client, board))
            seen.AddRange(RowTimes().Matches(text).Where(m => m.Groups[1].Value == "order-1").Select(m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(start + 30, board.Shown()["order-1"]);
    }

    [Fact]
    public async Task An_idle_stream_gets_a_sample_in_one_message_with_its_row_and_the_summary_once()
    {
        await using var client = await SubscribeAsync("/?q=idle-");
        await client.DrainAsync(TimeSpan.FromSeconds(2));

        await PublishAsync(RelayFixture.Slow("idle-1", load1: 2.34));

        var message = TextOf(await client.NextAsync("turbo-stream", TimeSpan.FromSeconds(20)));
        Assert.Contains("id=\"host-idle-1-load1\">2.34<", message, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(message, "target=\"cluster-summary\""));
        Assert.DoesNotContain(await client.DrainAsync(TimeSpan.FromSeconds(2)), m => TextOf(m).Contains("host-idle-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sorted_view_keeps_its_order_and_its_first_rows_as_values_change()
    {
        await using var client = await SubscribeAsync("/?q=top-&sort=load1");
        var board = new BoardModel();
        foreach (var state in await client.DrainAsync(TimeSpan.FromSeconds(1))) board.Apply(TextOf(state));
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var load = Enumerable.Range(0, 14).ToDictionary(i => $"top-{i:00}", i => (double)i);
        foreach (var (host, value) in load) await PublishAsync(TestSamples.Of(host, load1: value, ts: start, intervalMs: 60_000));
        await ReceiveUntilQuietAsync(client, board);

        // The lowest two climb to the top; two others drop out of the first ten.
        load["top-00"] = 50;
        load["top-01"] = 40;
        foreach (var host in new[] { "top-00", "top-01" }) await PublishAsync(TestSamples.Of(host, load1: load[host], ts: start + 1000, intervalMs: 60_000));
        await ReceiveUntilQuietAsync(client, board);

        var expected = load.OrderByDescending(l => l.Value).Take(10).Select(l => "host-" + l.Key).ToList();
        Assert.Equal(expected, board.Rows.OrderBy(r => r.Value.Order).Select(r => r.Key).ToList());
    }

    [Fact]
    public async Task View_streams_nobody_listens_to_any_more_are_dropped()
    {
        var scheduler = _app.Services.GetRequiredService<LoadCluster.Web.Relay.PushScheduler>();
        var clients = new List<SignalRJsonClient>();
        foreach (var page in new[] { "/?q=gone-a", "/?q=gone-b&sort=cpu", "/?state=offline&q=gone-c" }) clients.Add(await SubscribeAsync(page));
        Assert.InRange(scheduler.ViewCount, 3, int.MaxValue);

        foreach (var client in clients) await client.DisposeAsync();

        await Eventually.GetAsync(async () =>
        {
            await PublishAsync(RelayFixture.Slow("gone-a1"));
            await Task.Delay(200);
            return scheduler.ViewCount;
        }, count => count == 0, "the views dropped");
    }

    private async Task<SignalRJsonClient> SubscribeAsync(string page)
    {
        var html = await _app.Http.GetStringAsync(page);
        var signed = SignedStreamNames.FirstIn(html) ?? "";
        var client = await SignalRJsonClient.ConnectAsync(_app.Hub);
        await client.InvokeAsync("Subscribe", signed);
        return client;
    }

    private static async Task<List<(string Text, DateTime At)>> ReceiveUntilQuietAsync(SignalRJsonClient client, BoardModel board)
    {
        var messages = new List<(string, DateTime)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var batch = await client.DrainAsync(Quiet);
            if (batch.Count == 0) return messages;
            foreach (var message in batch)
            {
                board.Apply(TextOf(message));
                messages.Add((TextOf(message), DateTime.UtcNow));
            }
        }
        throw new TimeoutException("the stream never went quiet");
    }

    private Task PublishAsync(Sample sample) => _publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(_names.SamplesChannel(sample.Host)), SampleJson.Serialize(sample));

    private static string TextOf(SignalRJsonClient.Invocation message) => (string)message.Arguments[0]!;


    [GeneratedRegex("<tr id=\"host-([^\"]+)\"[^>]*data-ts=\"(\\d+)\"")]
    private static partial Regex RowTimes();
}
