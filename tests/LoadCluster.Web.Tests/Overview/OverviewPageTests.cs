using System.Net;
using AngleSharp.Html.Parser;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Overview;

/// <summary>Sort, filter and counts of the overview through real HTTP (no JavaScript: plain GETs, as a browser without it).</summary>
[Collection(WebAppCollection.Name)]
public sealed class OverviewPageTests(RelayFixture fixture)
{
    private async Task SeedAsync(string prefix, params double[] loads)
    {
        await fixture.WaitUntilRelayingAsync($"{prefix}-0");
        for (var i = 0; i < loads.Length; i++) await fixture.PublishAsync(RelayFixture.Slow($"{prefix}-{i}", load1: loads[i], cores: 2));
        await Wait.ForAsync(() => fixture.App.Http.GetStringAsync($"/?q={prefix}-&show=all"),
            html => loads.Select((l, i) => $"id=\"host-{prefix}-{i}-load1\">{l:0.00}<").All(v => html.Contains(v, StringComparison.Ordinal)), "the samples applied");
    }

    private async Task<List<string>> RowsAsync(string url)
    {
        var doc = new HtmlParser().ParseDocument(await fixture.App.Http.GetStringAsync(url));
        return [.. doc.QuerySelectorAll("#host-rows tr.host-row").Select(r => r.Id!["host-".Length..])];
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/hosts/head-1")]
    [InlineData("/cluster")]
    public async Task A_page_answers_HEAD_with_the_GET_s_status_and_headers_and_no_body(string path)
    {
        using var get = await fixture.App.Http.GetAsync(path);
        using var head = await fixture.App.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Headers.GetValues("Content-Security-Policy"), head.Headers.GetValues("Content-Security-Policy"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Any_column_sorts_both_ways_and_the_filter_keeps_only_matching_hosts()
    {
        await SeedAsync("srt", 3, 1, 2);

        Assert.Equal(["srt-0", "srt-2", "srt-1"], await RowsAsync("/?q=srt-&sort=load1"));
        Assert.Equal(["srt-1", "srt-2", "srt-0"], await RowsAsync("/?q=srt-&sort=load1&dir=asc"));
        Assert.Equal(["srt-0", "srt-1", "srt-2"], await RowsAsync("/?q=SRT-&sort=host"));
        Assert.Equal(["srt-2"], await RowsAsync("/?q=srt-2"));
        Assert.Empty(await RowsAsync("/?q=srt-&state=offline"));
    }

    [Fact]
    public async Task The_default_order_puts_what_needs_attention_first_and_the_counts_are_per_state()
    {
        await SeedAsync("att", 0.5, 1.9, 1.0);
        // A host whose collector samples every 100 ms and then stops: stale within a second.
        await fixture.PublishAsync(TestSamples.Of("att-quiet", load1: 0.1, intervalMs: 100));
        await Wait.ForAsync(() => fixture.App.Http.GetStringAsync("/?q=att-&state=stale"), h => h.Contains("id=\"host-att-quiet\"", StringComparison.Ordinal), "att-quiet stale");

        Assert.Equal(["att-quiet", "att-1", "att-2", "att-0"], await RowsAsync("/?q=att-"));
        var doc = new HtmlParser().ParseDocument(await fixture.App.Http.GetStringAsync("/?q=att-"));
        Assert.Equal("4", doc.GetElementById("count-all")!.TextContent);
        Assert.Equal("3", doc.GetElementById("count-live")!.TextContent);
        Assert.Equal("1", doc.GetElementById("count-stale")!.TextContent);
        Assert.Equal("/?q=att-&state=stale", doc.QuerySelector("a.chip.state-stale")!.GetAttribute("href"));
        // Column headers link to their sort, keeping the filter; the current one flips direction.
        Assert.Equal("/?sort=load1&q=att-", doc.QuerySelector("th a[href*='sort=load1']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_bad_view_address_is_a_400_that_names_the_parameter_and_keeps_the_rest()
    {
        await SeedAsync("bad", 1);

        var response = await fixture.App.Http.GetAsync("/?q=bad-&sort=nonsense&state=sleepy");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = new HtmlParser().ParseDocument(html).GetElementById("view-errors")!.TextContent;
        Assert.Contains("sort: unknown column 'nonsense'", errors, StringComparison.Ordinal);
        Assert.Contains("state: must be live, stale, offline or all", errors, StringComparison.Ordinal);
        Assert.Contains("id=\"host-bad-0\"", html, StringComparison.Ordinal); // the filter still applies
        Assert.Contains("value=\"bad-\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_row_limit_the_page_shows_the_first_rows_and_a_show_all_link()
    {
        // Low loads, so that these sort below the other tests' hosts on the shared default view.
        await SeedAsync("many", [.. Enumerable.Range(0, 105).Select(i => i / 10000.0)]);

        var doc = new HtmlParser().ParseDocument(await fixture.App.Http.GetStringAsync("/?q=many-"));

        Assert.Equal(100, doc.QuerySelectorAll("#host-rows tr.host-row").Length);
        Assert.Equal("105", doc.GetElementById("count-matching")!.TextContent);
        Assert.Equal("/?q=many-&show=all", doc.QuerySelector(".showing a")!.GetAttribute("href"));
        Assert.Equal(105, (await RowsAsync("/?q=many-&show=all")).Count);
    }
}
