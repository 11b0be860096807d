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

        var json = await Eventually.GetAsync(() => fixture.App.Http.GetStringAsync("/api/hosts"),
            j => j.Contains("1.75", StringComparison.Ordinal), "the sample in /api/hosts");

        var host = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(h => h.GetProperty("host").GetString() == "api-1");
        Assert.Equal("live", host.GetProperty("state").GetString());
        Assert.True(SampleJson.TryParse(JsonSerializer.SerializeToUtf8Bytes(host.GetProperty("sample")), out var sample, out var error), error);
        Assert.Equal((1.75, 4), (sample.Load1, sample.Cores));
    }

    [Fact]
    public async Task Sample_stream_sends_each_sample_as_a_server_sent_event()
    {
        await fixture.WaitUntilRelayingAsync("sse-1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/samples/stream");
        using var response = await fixture.App.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        using var publishing = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            for (var i = 1; !publishing.IsCancellationRequested; i++)
            {
                await fixture.PublishAsync(RelayFixture.Slow("sse-1", load1: i));
                await Task.Delay(100);
            }
        });

        var samples = new List<Sample>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (samples.Count < 3)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            Assert.True(SampleJson.TryParse(System.Text.Encoding.UTF8.GetBytes(line[6..]), out var sample, out var error), error);
            if (sample.Host == "sse-1") samples.Add(sample);
        }
        await publishing.CancelAsync();
        await publisher;

        Assert.Equal(samples.OrderBy(s => s.Ts).Select(s => s.Load1), samples.Select(s => s.Load1));
    }

    [Fact]
    public async Task Api_cluster_lists_this_replica_and_the_collectors()
    {
        await fixture.Database.StringSetAsync(fixture.Names.Collector("coll-1"),
            new CollectorInfo("coll-1", 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 123, "1.0.0").ToJson(), TimeSpan.FromMinutes(1));
        await fixture.WaitUntilRelayingAsync("coll-1");
        await fixture.Database.SortedSetAddAsync(fixture.Names.Hosts, "coll-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var json = await Eventually.GetAsync(() => fixture.App.Http.GetStringAsync("/api/cluster"),
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
        await Eventually.GetAsync(() => fixture.App.Http.GetStringAsync("/api/cluster"),
            j => j.Contains("\"id\":\"web-test\"", StringComparison.Ordinal), "the replica registered");

        var response = await fixture.App.Http.GetAsync("/cluster");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"replica-web-test\"", html, StringComparison.Ordinal);
        Assert.Contains("signed-stream-name=", html, StringComparison.Ordinal);
    }
}
