using LoadCluster.Web.Board;
using LoadCluster.Web.Overview;
using Microsoft.AspNetCore.WebUtilities;

namespace LoadCluster.Web.Tests.Overview;

public sealed class OverviewQueryTests
{
    private static OverviewQuery Parse(string query) => OverviewQuery.Parse(QueryHelpers.ParseQuery(query)).Query;

    [Theory]
    [InlineData("", "hosts")]
    [InlineData("?sort=attention&dir=asc&state=all&show=top", "hosts")]
    [InlineData("?q=Web&sort=LOAD1", "hosts?sort=load1&q=web")]
    [InlineData("?sort=load1&dir=asc&state=stale&show=all", "hosts?sort=load1&dir=asc&state=stale&show=all")]
    public void One_view_has_one_stream_name_and_reads_back_from_it(string query, string stream)
    {
        var parsed = Parse(query);

        Assert.Equal(stream, parsed.StreamName);
        Assert.Equal(parsed, OverviewQuery.FromStreamName(stream));
    }

    [Fact]
    public void Other_streams_are_not_views()
    {
        Assert.Null(OverviewQuery.FromStreamName("host:web-1"));
        Assert.Null(OverviewQuery.FromStreamName("hosts?sort=nonsense"));
    }

    [Fact]
    public void Order_keys_sort_like_the_view_and_put_attention_first()
    {
        var hosts = new[]
        {
            new HostKey("a", 0, HostState.Live, 1, 1, 1, 4, 10, 10, 1),
            new HostKey("b", 1, HostState.Live, 3, 1, 1, 4, 90, 20, 1),
            new HostKey("c", 2, HostState.Offline, 0, 0, 0, 4, 0, 30, 1),
            new HostKey("d", 3, HostState.Stale, 0.5, 1, 1, 4, 50, 40, 1),
        };
        string[] Sorted(OverviewQuery q) => [.. hosts.OrderBy(h => OrderKey.Of(h, q, hosts.Length)).Select(h => h.Name)];

        Assert.Equal(["c", "d", "b", "a"], Sorted(OverviewQuery.Default));
        Assert.Equal(["b", "d", "a", "c"], Sorted(Parse("?sort=cpu")));
        Assert.Equal(["a", "b", "c", "d"], Sorted(Parse("?sort=host")));
        Assert.Equal(["d", "c", "b", "a"], Sorted(Parse("?sort=host&dir=desc")));
        Assert.All(hosts, h => Assert.InRange(OrderKey.Of(h with { Load1 = 1e12 }, Parse("?sort=load1"), 5000), 0, int.MaxValue));
    }
}
