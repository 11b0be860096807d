using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components.Fragments;
using static LoadCluster.Web.Tests.Infrastructure.ComponentRenderer;

namespace LoadCluster.Web.Tests.Components;

public sealed class ClusterFragmentTests
{
    private static readonly ClusterSnapshot Cluster = new(
        [new ReplicaInfo("web-1", "http://127.0.0.1:5001", 3, 12.5, 2, 1_000_000, 1_060_000), new ReplicaInfo("web-2", null, 0, 0, 2, 1_000_000, 1_060_000)],
        [new CollectorView("db-1", 1000, 1_000_000, 42, "1.0.0", 1_059_000)],
        1_060_000, null);

    [Fact]
    public async Task Replica_table_lists_each_replica_with_its_figures_and_marks_itself()
    {
        var doc = await RenderDocumentAsync<ReplicaTable>(("Cluster", Cluster), ("Self", "web-2"));

        var web1 = doc.GetElementById("replica-web-1")!;
        Assert.Equal("3", web1.Children[1].TextContent);
        Assert.Equal("12.5", web1.Children[2].TextContent);
        Assert.Equal("1 min", web1.Children[4].TextContent);
        Assert.Contains("self", doc.GetElementById("replica-web-2")!.ClassList);
    }

    [Fact]
    public async Task Collector_table_shows_interval_and_last_seen()
    {
        var doc = await RenderDocumentAsync<CollectorTable>(("Cluster", Cluster));

        var row = doc.GetElementById("collector-db-1")!;
        Assert.Equal("1 s", row.Children[1].TextContent);
        Assert.Equal("1 s ago", row.Children[2].TextContent);
    }

    [Fact]
    public async Task A_registry_error_is_shown_not_hidden()
    {
        var doc = await RenderDocumentAsync<ReplicaTable>(("Cluster", ClusterSnapshot.Empty with { Error = "No connection is available" }));

        Assert.Contains("No connection is available", doc.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }
}
