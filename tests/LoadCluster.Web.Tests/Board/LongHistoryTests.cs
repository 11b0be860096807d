using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Board;

/// <summary>The host page's 1 h and 24 h charts, read from the downsampled history in a real Redis.</summary>
[Collection(WebAppCollection.Name)]
public sealed class LongHistoryTests(RelayFixture fixture)
{
    [Fact]
    public async Task The_host_page_draws_the_last_hour_and_day_from_redis_and_skips_empty_and_outdated_slots()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var hour = fixture.Names.Rollup("long-1", RollupLevel.Hour);
        // In their buckets' slots, as the collector writes them; slot 200 is left empty.
        var bucket = now / 15_000 * 15_000;
        for (var i = 1; i <= 40; i++)
        {
            var ts = bucket - i * 15_000L;
            await fixture.Database.StringSetRangeAsync(hour, ts / 15_000 % 240 * HistoryPoint.Size, new HistoryPoint(ts, 1 + i % 3, 1, 1, 20).ToBytes());
        }
        // A slot last written more than the level's span ago (the host was away): not drawn.
        var outdated = bucket - 300 * 15_000L;
        await fixture.Database.StringSetRangeAsync(hour, outdated / 15_000 % 240 * HistoryPoint.Size, new HistoryPoint(outdated, 9, 9, 9, 9).ToBytes());
        await fixture.WaitUntilRelayingAsync("long-1");

        var page = await fixture.App.Http.GetStringAsync("/hosts/long-1");

        var doc = Infrastructure.ComponentRenderer.Parse(page);
        var line = doc.QuerySelector("#host-long-1-chart-1h polyline.line-load1")!;
        Assert.Equal(40, line.GetAttribute("points")!.Split(' ').Length);
        Assert.Null(doc.QuerySelector("#host-long-1-chart-24h"));
        Assert.Contains("Not enough history yet", doc.GetElementById("history-long-1")!.TextContent, StringComparison.Ordinal);
    }
}
