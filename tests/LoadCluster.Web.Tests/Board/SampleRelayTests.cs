using System.Diagnostics.Metrics;
using System.Text;
using LoadCluster.Samples;
using LoadCluster.Web.Board;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Web.Tests.Board;

/// <summary>
/// Samples from Redis to a page's socket, as a browser's <c>&lt;turbo-stream-source&gt;</c> gets them.
/// Checks are exact: a page's messages come in order, so a later sample (a fence) read up to means
/// everything before it has arrived.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class SampleRelayTests(RelayFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A page's socket, with its state (the first message) read: from here it gets every push.</summary>
    private async Task<(TurboSocketClient Client, string State)> OpenAsync(string page)
    {
        var client = await fixture.App.OpenPageAsync(page);
        return (client, await client.NextAsync(Patience));
    }

    private static Task<List<string>> UntilAsync(TurboSocketClient client, string text) =>
        client.ReadUntilAsync(m => m.Contains(text, StringComparison.Ordinal), Patience);

    [Fact]
    public async Task A_published_sample_reaches_a_page_once()
    {
        await fixture.WaitUntilRelayingAsync("once-1");
        await fixture.WaitUntilRelayingAsync("once-fence");
        var (client, _) = await OpenAsync("/?q=once-");
        await using var _ = client;

        await fixture.PublishAsync(RelayFixture.Slow("once-1", load1: 3.21));
        await fixture.PublishAsync(RelayFixture.Slow("once-fence", load1: 9.87));

        var messages = await UntilAsync(client, "id=\"host-once-fence-load1\">9.87<");
        Assert.Equal(1, messages.Sum(m => Occurrences(m, "id=\"host-once-1-load1\">3.21<")));
        Assert.Contains(messages, m => m.Contains("<turbo-stream action=\"replace\" target=\"cluster-summary\">", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_page_gets_its_detail_with_the_new_values()
    {
        await fixture.WaitUntilRelayingAsync("detail-1");
        var (client, state) = await OpenAsync("/hosts/detail-1");
        await using var _ = client;
        Assert.Contains("target=\"host-detail-1-detail\"", state, StringComparison.Ordinal);

        await fixture.PublishAsync(RelayFixture.Slow("detail-1", load1: 7.77, cores: 8));

        var message = (await UntilAsync(client, "id=\"host-detail-1-load1\">7.77<"))[^1];
        Assert.Contains("id=\"host-detail-1-core7\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_messages_are_dropped_and_the_next_good_sample_still_arrives()
    {
        await fixture.WaitUntilRelayingAsync("bad-1");
        var (client, _) = await OpenAsync("/?q=bad-");
        await using var _ = client;

        await fixture.PublishAsync(Encoding.UTF8.GetBytes("not json"), "bad-1");
        await fixture.PublishAsync(Encoding.UTF8.GetBytes("{\"v\":1,\"host\":\"bad-1\",\"ts\":1}"), "bad-1");
        await fixture.PublishAsync(Encoding.UTF8.GetBytes("{\"v\":2}"), "bad-1");
        await fixture.PublishAsync(RelayFixture.Slow("bad-1", load1: 4.56) with { Cores = 3 }); // perCore length != cores
        await fixture.PublishAsync(RelayFixture.Slow("bad-1", load1: 6.54));

        var messages = await UntilAsync(client, ">6.54<");
        Assert.DoesNotContain(messages, m => m.Contains(">4.56<", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_page_gets_the_current_state_first()
    {
        await fixture.WaitUntilRelayingAsync("state-1");
        await fixture.PublishAsync(RelayFixture.Slow("state-1", load1: 2.46));
        await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/api/hosts"), json => json.Contains("2.46", StringComparison.Ordinal), "the sample applied");

        var (client, state) = await OpenAsync("/?q=state-");
        await using var _ = client;

        Assert.StartsWith("<turbo-stream action=\"replace\" target=\"host-rows\">", state, StringComparison.Ordinal);
        Assert.Contains("id=\"host-state-1-load1\">2.46<", state, StringComparison.Ordinal);
        Assert.Contains("target=\"cluster-summary\"", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_render_the_hosts_the_relay_has_seen_with_their_stream_elements()
    {
        await fixture.WaitUntilRelayingAsync("page-1");

        var overview = await fixture.App.Http.GetStringAsync("/");
        var host = await fixture.App.Http.GetAsync("/hosts/page-1");
        var invalid = await fixture.App.Http.GetAsync("/hosts/not%20a%20host");

        Assert.Contains("id=\"host-page-1\"", overview, StringComparison.Ordinal);
        Assert.Contains("id=\"cluster-summary\"", overview, StringComparison.Ordinal);
        Assert.Matches("<turbo-stream-source src=\"ws://[^\"]+/turbo-stream\\?stream=[^\"]+\" signed-stream-name=", overview);
        Assert.Single(SignedStreamNames.In(overview)); // one connection per page
        Assert.Equal(200, (int)host.StatusCode);
        Assert.Contains("id=\"host-page-1-detail\"", await host.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (int)invalid.StatusCode);
        Assert.Contains("There is no such page", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_page_gets_the_replica_table_through_the_push_gate()
    {
        var (client, state) = await OpenAsync("/cluster");
        await using var _ = client;

        Assert.Contains("target=\"cluster-replicas\"", state, StringComparison.Ordinal);
        Assert.Contains("target=\"cluster-collectors\"", state, StringComparison.Ordinal);
        // Then every 2 s from the heartbeat's read of the registry, with this connection counted.
        var pushed = (await UntilAsync(client, "id=\"replica-web-test\""))[^1];
        Assert.Contains("target=\"cluster-summary\"", pushed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_of_a_host_not_seen_yet_goes_live_with_its_first_sample()
    {
        var page = await fixture.App.Http.GetStringAsync("/hosts/first.example.org");
        Assert.Contains("No samples from this host yet", page, StringComparison.Ordinal);
        await using var client = await fixture.App.OpenPageAsync("/hosts/first.example.org");
        // No state for a host unknown here: publish until its first sample makes its stream.
        var message = "";
        await Wait.UntilAsync(async () =>
        {
            await fixture.PublishAsync(RelayFixture.Slow("first.example.org", load1: 1.11));
            while (client.Received.TryRead(out var m)) message = m;
            return message.Contains("target=\"host-first.example.org-detail\"", StringComparison.Ordinal);
        }, Patience, "the host's first sample reached its page");

        Assert.Contains("id=\"host-first.example.org-load1\">1.11<", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samples_of_one_host_published_at_once_are_relayed_in_publish_order()
    {
        const int count = 2000;
        await fixture.WaitUntilRelayingAsync("order-1");
        // Every sample the relay applies, in the order it applies them (the feed keeps the last 256
        // for a slow reader: some may be skipped here, but none may come out of order).
        await using var events = await EventStreamClient.OpenAsync(fixture.App.Http, "/api/samples/stream");
        await events.ConnectedAsync(Patience);

        // Pipelined on one connection: Redis sends them on in this order.
        await Task.WhenAll(Enumerable.Range(1, count).Select(i => fixture.PublishAsync(RelayFixture.Slow("order-1", load1: i))));

        var seen = new List<double>();
        while (seen.Count == 0 || seen[^1] < count)
        {
            Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(await events.NextAsync(Patience)), out var sample, out var error), error);
            if (sample.Host == "order-1" && sample.Load1 >= 1) seen.Add(sample.Load1);
        }
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First < pair.Second),
            $"out of publish order: {string.Join(", ", seen.Zip(seen.Skip(1)).Where(pair => pair.First >= pair.Second).Take(5))}");
        Assert.Equal(count, seen[^1]);
    }

    [Fact]
    public async Task A_relay_that_is_behind_announces_what_it_applied_at_least_every_batch_limit_samples()
    {
        const string host = "behind-1";
        const int count = SampleRelay.BatchLimit * 3;
        await fixture.WaitUntilRelayingAsync("behind-warm");
        var board = fixture.App.Services.GetRequiredService<HostBoard>();
        using var release = new ManualResetEventSlim();
        var held = 0;
        var announced = 0;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        void OnChanged(IReadOnlyCollection<string> hosts)
        {
            if (!hosts.Contains(host)) return;
            // The first announcement holds the relay (it announces on its own loop), so the samples below queue behind it.
            if (Interlocked.Exchange(ref held, 1) == 0) release.Wait(Patience);
            else Interlocked.Increment(ref announced);
        }
        board.Changed += OnChanged;
        try
        {
            await fixture.PublishAsync(RelayFixture.Slow(host) with { Ts = start });
            await Wait.UntilAsync(() => Volatile.Read(ref held) == 1, Patience, "the relay announced the first sample");
            await Task.WhenAll(Enumerable.Range(1, count).Select(i => fixture.PublishAsync(RelayFixture.Slow(host, load1: i) with { Ts = start + i })));
            release.Set();
            await Wait.UntilAsync(() => board.Get(host, history: 0)?.Latest.Ts == start + count, Patience, "the relay applied the last sample");
            // Each sample is newer than the one before, so every batch changed the host: at most BatchLimit samples a batch makes at least three.
            Assert.InRange(Volatile.Read(ref announced), 3, count);
        }
        finally
        {
            board.Changed -= OnChanged;
            release.Set();
        }
    }

    [Fact]
    public async Task A_sample_whose_traceparent_is_malformed_is_relayed_and_counted_like_any_other()
    {
        await fixture.WaitUntilRelayingAsync("trace-1");
        var meters = fixture.App.Services.GetRequiredService<IMeterFactory>();
        long relayed = 0, dropped = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("loadcluster.web.relay.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "loadcluster.web.relay.samples") Interlocked.Add(ref relayed, value);
            else if (instrument.Name == "loadcluster.web.relay.dropped_samples") Interlocked.Add(ref dropped, value);
        });
        listener.Start();
        var (client, _) = await OpenAsync("/?q=trace-");
        await using var _ = client;

        string[] malformed =
        [
            "garbage",
            "",
            "00-00000000000000000000000000000000-0000000000000000-01", // all-zero ids are invalid
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-zz",
            new string('0', 300), // too long: the parser leaves it out
        ];
        foreach (var (traceparent, i) in malformed.Select((t, i) => (t, i)))
            await fixture.PublishAsync(RelayFixture.Slow("trace-1", load1: 1.01 + i) with { Traceparent = traceparent });
        var notText = SampleJson.Serialize(RelayFixture.Slow("trace-1", load1: 5.55));
        await fixture.PublishAsync([.. notText[..^1], .. Encoding.UTF8.GetBytes(",\"traceparent\":42}")], "trace-1");

        // Wait for the six to be counted, then show that the relay goes on with a sample after them.
        await Wait.UntilAsync(() => Interlocked.Read(ref relayed) >= malformed.Length + 1, TimeSpan.FromSeconds(20), "the six samples relayed");
        Assert.Equal(malformed.Length + 1, Interlocked.Read(ref relayed));
        Assert.Equal(0, Interlocked.Read(ref dropped));
        await fixture.PublishAsync(RelayFixture.Slow("trace-1", load1: 6.66));
        await UntilAsync(client, "id=\"host-trace-1-load1\">6.66<");
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
