using System.Text;
using LoadCluster.Testing;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Relay;

[Collection(WebAppCollection.Name)]
public sealed class SampleRelayTests(RelayFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string TextOf(SignalRJsonClient.Invocation message) => (string)message.Arguments[0]!;

    /// <summary>The next message containing <paramref name="text"/>; earlier ones (other tests' hosts) are skipped.</summary>
    private static async Task<string> NextContainingAsync(SignalRJsonClient client, string text)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var message = TextOf(await client.NextAsync("turbo-stream", deadline - DateTime.UtcNow));
            if (message.Contains(text, StringComparison.Ordinal)) return message;
        }
    }

    private async Task<SignalRJsonClient> SubscribeAsync(string page)
    {
        var signed = await fixture.SignedStreamOfAsync(page);
        var client = await SignalRJsonClient.ConnectAsync(fixture.App.Hub);
        await client.InvokeAsync("Subscribe", signed);
        return client;
    }

    [Fact]
    public async Task A_published_sample_reaches_a_subscribed_client_once()
    {
        await fixture.WaitUntilRelayingAsync("once-1");
        await using var client = await SubscribeAsync("/");
        await client.DrainAsync(TimeSpan.FromSeconds(1)); // the current state

        await fixture.PublishAsync(RelayFixture.Slow("once-1", load1: 3.21));

        var message = await NextContainingAsync(client, "id=\"host-once-1-load1\">3.21<");
        Assert.Contains("<turbo-stream action=\"replace\" target=\"cluster-summary\">", message, StringComparison.Ordinal);
        var more = await client.DrainAsync(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(more, m => TextOf(m).Contains(">3.21<", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_page_gets_its_detail_with_the_new_values()
    {
        await fixture.WaitUntilRelayingAsync("detail-1");
        await using var client = await SubscribeAsync("/hosts/detail-1");
        var state = await client.NextAsync("turbo-stream", Wait);
        Assert.Contains("target=\"host-detail-1-detail\"", TextOf(state), StringComparison.Ordinal);

        await fixture.PublishAsync(RelayFixture.Slow("detail-1", load1: 7.77, cores: 8));

        var message = await NextContainingAsync(client, "id=\"host-detail-1-load1\">7.77<");
        Assert.Contains("id=\"host-detail-1-core7\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_messages_are_dropped_and_the_next_good_sample_still_arrives()
    {
        await fixture.WaitUntilRelayingAsync("bad-1");
        await using var client = await SubscribeAsync("/");
        await client.DrainAsync(TimeSpan.FromSeconds(1));

        await fixture.PublishAsync(Encoding.UTF8.GetBytes("not json"), "bad-1");
        await fixture.PublishAsync(Encoding.UTF8.GetBytes("{\"v\":1,\"host\":\"bad-1\",\"ts\":1}"), "bad-1");
        await fixture.PublishAsync(Encoding.UTF8.GetBytes("{\"v\":2}"), "bad-1");
        await fixture.PublishAsync(RelayFixture.Slow("bad-1", load1: 4.56) with { Cores = 3 }); // perCore length != cores
        await fixture.PublishAsync(RelayFixture.Slow("bad-1", load1: 6.54));

        var message = await NextContainingAsync(client, ">6.54<");
        Assert.DoesNotContain(">4.56<", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_subscriber_gets_the_current_state_first()
    {
        await fixture.WaitUntilRelayingAsync("state-1");
        await fixture.PublishAsync(RelayFixture.Slow("state-1", load1: 2.46));
        await Eventually.GetAsync(() => fixture.App.Http.GetStringAsync("/api/hosts"), json => json.Contains("2.46", StringComparison.Ordinal), "the sample applied");

        await using var client = await SubscribeAsync("/");

        // Other hosts' state changes may be pushed too; the first message about this host is the state.
        var first = await NextContainingAsync(client, "host-state-1");
        Assert.StartsWith("<turbo-stream action=\"replace\" target=\"host-rows\">", first, StringComparison.Ordinal);
        Assert.Contains("id=\"host-state-1-load1\">2.46<", first, StringComparison.Ordinal);
        Assert.Contains("target=\"cluster-summary\"", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_render_the_hosts_the_relay_has_seen()
    {
        await fixture.WaitUntilRelayingAsync("page-1");

        var overview = await fixture.App.Http.GetStringAsync("/");
        var host = await fixture.App.Http.GetAsync("/hosts/page-1");
        var invalid = await fixture.App.Http.GetAsync("/hosts/not%20a%20host");

        Assert.Contains("id=\"host-page-1\"", overview, StringComparison.Ordinal);
        Assert.Contains("id=\"cluster-summary\"", overview, StringComparison.Ordinal);
        Assert.Matches("<turbo-stream-source src=\"ws://[^\"]+/turbo-stream/socket\\?stream=[^\"]+\" signed-stream-name=", overview);
        Assert.Equal(200, (int)host.StatusCode);
        Assert.Contains("id=\"host-page-1-detail\"", await host.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, (int)invalid.StatusCode);
        Assert.Contains("There is no such page", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_page_gets_the_replica_table_pushed()
    {
        await using var client = await SubscribeAsync("/cluster");

        var state = await NextContainingAsync(client, "target=\"cluster-replicas\"");
        Assert.Contains("target=\"cluster-collectors\"", state, StringComparison.Ordinal);
        // Then every 2 s from the heartbeat, with this connection counted.
        var pushed = await NextContainingAsync(client, "id=\"replica-web-test\"");
        Assert.Contains("target=\"cluster-summary\"", pushed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_of_a_host_not_seen_yet_goes_live_with_its_first_sample()
    {
        await fixture.WaitUntilRelayingAsync("warmup-1");
        var page = await fixture.App.Http.GetStringAsync("/hosts/first.example.org");
        Assert.Contains("No samples from this host yet", page, StringComparison.Ordinal);
        await using var client = await SubscribeAsync("/hosts/first.example.org");

        await fixture.PublishAsync(RelayFixture.Slow("first.example.org", load1: 1.11));

        var message = await NextContainingAsync(client, "target=\"host-first.example.org-detail\"");
        Assert.Contains("id=\"host-first.example.org-load1\">1.11<", message, StringComparison.Ordinal);
    }
}
