using System.Globalization;

namespace LoadCluster.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class SampleDeliveryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_sample_reaches_a_page_on_each_of_three_replicas_exactly_once()
    {
        var pages = new List<TurboSocketClient>();
        try
        {
            foreach (var web in fixture.WebReplicas) pages.Add(await fixture.OpenOverviewAsync(web));

            // Our own samples, each with a load value no other sample has, so each can be counted;
            // a long interval keeps the host "live" (no state push repeats a row) while we count. The
            // next is published once every page shows this one, so none is merged into the next push.
            // A page's messages come in order: once it shows the last value, every copy of the earlier
            // ones has arrived.
            var host = "e2e-once-" + Guid.NewGuid().ToString("N")[..8];
            var values = Enumerable.Range(1, 11).Select(i => (10 + i / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).ToList();
            foreach (var value in values)
            {
                await fixture.PublishAsync(host, double.Parse(value, CultureInfo.InvariantCulture));
                foreach (var page in pages) await page.WaitForValueAsync($"host-{host}-load1", value, TimeSpan.FromSeconds(30));
            }

            foreach (var page in pages)
            {
                Assert.Equal(values, page.ValuesOf($"host-{host}-load1"));
                // The real collector's samples reach every replica's pages too.
                Assert.NotEmpty(page.ValuesOf($"host-{ClusterFixture.CollectorHost}-load1"));
            }
        }
        finally
        {
            foreach (var page in pages) await page.DisposeAsync();
        }
    }
}
