using System.Net;
using System.Text.Json;
using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Api;

[Collection(WebAppCollection.Name)]
public sealed class ApiTests(RelayFixture fixture)
{
    [Fact]
    public async Task Api_hosts_lists_each_hosts_latest_sample_and_state()
    {
        await fixture.WaitUntilRelayingAsync("api-1");
        await fixture.PublishAsync(RelayFixture.Slow("api-1", load1: 1.75, cores: 4));

        var json = await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/api/hosts"),
            j => j.Contains("1.75", StringComparison.Ordinal), "the sample in /api/hosts");

        var host = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(h => h.GetProperty("host").GetString() == "api-1");
        Assert.Equal("live", host.GetProperty("state").GetString());
        Assert.True(SampleJson.TryParse(JsonSerializer.SerializeToUtf8Bytes(host.GetProperty("sample")), out var sample, out var error), error);
        Assert.Equal((1.75, 4), (sample.Load1, sample.Cores));
    }

    [Fact]
    public async Task Api_hosts_answers_with_each_sample_as_published_not_as_its_history_keeps_it()
    {
        await fixture.WaitUntilRelayingAsync("api-exact");
        var sample = RelayFixture.Slow("api-exact", cores: 8) with { Load1 = 1.234567, Load5 = 0.987654, Load15 = 12.3456789, Cpu = 33.333333 };
        await fixture.PublishAsync(sample);

        var json = await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/api/hosts"),
            j => j.Contains("1.234567", StringComparison.Ordinal), "the sample in /api/hosts");

        var host = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(h => h.GetProperty("host").GetString() == "api-exact");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(SampleJson.Serialize(sample)), System.Text.Json.Nodes.JsonNode.Parse(host.GetProperty("sample").GetRawText())));
    }

    [Fact]
    public async Task Sample_stream_sends_each_sample_as_a_server_sent_event_in_order()
    {
        await fixture.WaitUntilRelayingAsync("sse-1");
        await using var events = await EventStreamClient.OpenAsync(fixture.App.Http, "/api/samples/stream");
        Assert.Equal("text/event-stream", events.ContentType);
        await events.ConnectedAsync(TimeSpan.FromSeconds(20));

        for (var i = 1; i <= 5; i++) await fixture.PublishAsync(RelayFixture.Slow("sse-1", load1: i));

        var samples = new List<Sample>();
        while (samples.Count < 5)
        {
            Assert.True(SampleJson.TryParse(System.Text.Encoding.UTF8.GetBytes(await events.NextAsync(TimeSpan.FromSeconds(20))), out var sample, out var error), error);
            if (sample.Host == "sse-1") samples.Add(sample);
        }
        Assert.Equal([1.0, 2, 3, 4, 5], samples.Select(s => s.Load1));
    }

    [Fact]
    public async Task Api_cluster_lists_this_replica_and_the_collectors()
    {
        await fixture.Database.StringSetAsync(fixture.Names.Collector("coll-1"),
            new CollectorInfo("coll-1", 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 123, "1.0.0").ToJson(), TimeSpan.FromMinutes(1));
        await fixture.WaitUntilRelayingAsync("coll-1");
        await fixture.Database.SortedSetAddAsync(fixture.Names.Hosts, "coll-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var json = await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/api/cluster"),
            j => j.Contains("\"id\":\"web-test\"", StringComparison.Ordinal) && j.Contains("coll-1", StringComparison.Ordinal), "the replica and collector listed");

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("web-test", root.GetProperty("self").GetString());
        var collector = root.GetProperty("collectors").EnumerateArray().Single(c => c.GetProperty("host").GetString() == "coll-1");
        Assert.Equal(1000, collector.GetProperty("intervalMs").GetInt32());
        Assert.Equal(123, collector.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Cluster_page_shows_the_replica_and_listens_to_the_cluster_stream()
    {
        await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/api/cluster"),
            j => j.Contains("\"id\":\"web-test\"", StringComparison.Ordinal), "the replica registered");

        var response = await fixture.App.Http.GetAsync("/cluster");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"replica-web-test\"", html, StringComparison.Ordinal);
        Assert.Contains("signed-stream-name=", html, StringComparison.Ordinal);
    }
}
