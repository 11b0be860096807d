using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Board;

/// <summary>The host page's 1 h and 24 h charts, read from the downsampled history in a real Redis.</summary>
[Collection(WebAppCollection.Name)]
public sealed class LongHistoryTests(RelayFixture fixture)
{
    [Fact]
    public async Task The_host_page_draws_the_last_hour_and_day_from_redis_and_skips_what_does_not_parse()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var hour = fixture.Names.Rollup("long-1", RollupLevel.Hour);
        // Newest first, as the collector keeps them.
        for (var i = 0; i < 40; i++)
            await fixture.Database.ListRightPushAsync(hour, new RollupPoint(now - (i + 1) * 15_000L, 1 + i % 3, 1, 1, 20, 2, 15).ToBytes());
        await fixture.Database.ListRightPushAsync(hour, "not a point");
        await fixture.WaitUntilRelayingAsync("long-1");

        var page = await fixture.App.Http.GetStringAsync("/hosts/long-1");

        var doc = Infrastructure.ComponentRenderer.Parse(page);
        var line = doc.QuerySelector("#host-long-1-chart-1h polyline.line-load1")!;
        Assert.Equal(40, line.GetAttribute("points")!.Split(' ').Length);
        Assert.Null(doc.QuerySelector("#host-long-1-chart-24h"));
        Assert.Contains("Not enough history yet", doc.GetElementById("history-long-1")!.TextContent, StringComparison.Ordinal);
    }
}
