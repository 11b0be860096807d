using LoadCluster.Samples;
using LoadCluster.Web.Board;
using LoadCluster.Web.Components.Fragments;
using LoadCluster.Web.Tests.Infrastructure;
using static LoadCluster.Web.Tests.Infrastructure.ComponentRenderer;

namespace LoadCluster.Web.Tests.Components;

public sealed class FragmentRenderingTests
{
    private static HostSnapshot Snapshot(string name = "web-1", double load1 = 0.5, int cores = 2, HostState state = HostState.Live, int points = 5)
    {
        var sample = TestSamples.Of(name, load1, cores);
        var history = Enumerable.Range(0, points).Select(i => new HistoryPoint(sample.Ts - (points - 1 - i) * 1000L, load1 * i / Math.Max(1, points - 1), 0, 0, 10)).ToArray();
        return new HostSnapshot(name, sample, sample.Time, state, history);
    }

    [Fact]
    public async Task Host_row_carries_the_contract_ids_and_values()
    {
        var doc = await RenderDocumentAsync<HostRow>(("Host", Snapshot("web-1", load1: 1.23, cores: 4)));

        Assert.NotNull(doc.GetElementById("host-web-1"));
        Assert.Equal("1.23", doc.GetElementById("host-web-1-load1")!.TextContent);
        Assert.Equal("1.11", doc.GetElementById("host-web-1-load5")!.TextContent);
        Assert.Equal("0.98", doc.GetElementById("host-web-1-load15")!.TextContent);
        Assert.Equal("25%", doc.GetElementById("host-web-1-cpu")!.TextContent);
        Assert.Equal("25%", doc.GetElementById("host-web-1-mem")!.TextContent);
        Assert.Equal("/hosts/web-1", doc.QuerySelector("#host-web-1 a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData(HostState.Live, "live")]
    [InlineData(HostState.Stale, "stale")]
    [InlineData(HostState.Offline, "offline")]
    public async Task State_is_text_and_data_attribute(HostState state, string expected)
    {
        var doc = await RenderDocumentAsync<HostRow>(("Host", Snapshot(state: state)));

        var element = doc.GetElementById("host-web-1-state")!;
        Assert.Equal(expected, element.TextContent);
        Assert.Equal(expected, element.GetAttribute("data-state"));
        Assert.Equal(expected, doc.GetElementById("host-web-1")!.GetAttribute("data-state"));
    }

    [Theory]
    [InlineData(0.5, 2, "level-ok")]     // 0.25 per core
    [InlineData(1.5, 2, "level-busy")]   // 0.75 per core
    [InlineData(2.0, 2, "level-high")]   // 1.0 per core
    [InlineData(6.0, 8, "level-busy")]   // same load, more cores
    [InlineData(6.0, 4, "level-high")]
    public async Task Load_is_coloured_relative_to_cores(double load1, int cores, string expected)
    {
        var doc = await RenderDocumentAsync<HostRow>(("Host", Snapshot(load1: load1, cores: cores)));

        Assert.Contains(expected, doc.GetElementById("host-web-1")!.ClassList);
        Assert.Contains(expected, doc.GetElementById("host-web-1-load1")!.ParentElement!.ClassList);
    }

    [Fact]
    public async Task Values_are_encoded_even_though_host_names_are_validated()
    {
        // The parser refuses such names; the components must not rely on it.
        var doc = await RenderDocumentAsync<HostRow>(("Host", Snapshot(name: "<script>alert(1)</script>\"x")));

        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.Contains("<script>alert(1)</script>\"x", doc.QuerySelector("th a")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sparkline_draws_one_point_per_value_scaled_to_cores()
    {
        var doc = await RenderDocumentAsync<Sparkline>(("Values", (IReadOnlyList<double>)[0, 1, 2, 4]), ("Scale", 4.0));

        var points = doc.QuerySelector("polyline")!.GetAttribute("points")!.Split(' ');
        Assert.Equal(4, points.Length);
        Assert.Equal("0,31", points[0]);   // zero at the bottom
        Assert.Equal("120,1", points[3]);  // the core count at the top
    }

    [Fact]
    public async Task Sparkline_with_one_value_draws_a_baseline()
    {
        var doc = await RenderDocumentAsync<Sparkline>(("Values", (IReadOnlyList<double>)[1.0]));

        Assert.Null(doc.QuerySelector("polyline"));
        Assert.NotNull(doc.QuerySelector("line.spark-empty"));
    }

    [Fact]
    public async Task Host_detail_shows_a_bar_per_core_and_the_chart()
    {
        var doc = await RenderDocumentAsync<HostDetail>(("Host", Snapshot(cores: 4, points: 30)));

        Assert.NotNull(doc.GetElementById("host-web-1-detail"));
        Assert.Equal(4, doc.QuerySelectorAll(".core-bar").Length);
        Assert.Equal("25", doc.QuerySelector("#host-web-1-core0 .fill")!.GetAttribute("width"));
        Assert.Equal(30, doc.QuerySelector("polyline.line-load1")!.GetAttribute("points")!.Split(' ').Length);
        Assert.Equal("4 cores", doc.QuerySelector(".cores-label")!.TextContent);
    }

    [Fact]
    public async Task Summary_counts_states_and_leaves_offline_hosts_out_of_the_load()
    {
        var totals = Recount.Of([
            Snapshot("a", load1: 1, cores: 2),
            Snapshot("b", load1: 3, cores: 2, state: HostState.Stale),
            Snapshot("c", load1: 50, cores: 2, state: HostState.Offline),
        ]);

        var doc = await RenderDocumentAsync<ClusterSummary>(("Totals", totals));

        Assert.Equal("4.00", doc.GetElementById("cluster-load1")!.TextContent);
        Assert.Equal("1/3 live", doc.GetElementById("cluster-hosts")!.TextContent);
        Assert.Contains("level-high", doc.GetElementById("cluster-summary")!.ClassList); // 4 on 4 cores
        Assert.Contains("1 stale", doc.QuerySelector(".summary")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 offline", doc.QuerySelector(".summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_board_says_how_to_start_a_collector()
    {
        var doc = await RenderDocumentAsync<HostRows>(("Rows", (IReadOnlyList<LoadCluster.Web.Overview.ShownRow>)[]));

        Assert.Contains("No samples yet", doc.GetElementById("host-rows")!.TextContent, StringComparison.Ordinal);
    }
}
