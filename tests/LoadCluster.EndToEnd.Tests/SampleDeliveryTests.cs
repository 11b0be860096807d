using System.Globalization;

namespace LoadCluster.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class SampleDeliveryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_sample_reaches_a_client_on_each_of_three_replicas_exactly_once()
    {
        var recorders = new List<StreamRecorder>();
        try
        {
            foreach (var web in fixture.WebReplicas)
                recorders.Add(new StreamRecorder(await fixture.SubscribeToHostsAsync(web)));

            // Our own samples, each with a load value no other sample has, so each can be counted;
            // a long interval keeps the host "live" (no state push repeats a row) while we count.
            var host = "e2e-once-" + Guid.NewGuid().ToString("N")[..8];
            var expected = Enumerable.Range(1, 10).Select(i => (10 + i / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).ToList();
            foreach (var value in expected)
            {
                await fixture.PublishAsync(host, double.Parse(value, CultureInfo.InvariantCulture));
                await Task.Delay(300);
            }
            foreach (var recorder in recorders)
                await recorder.WaitForValueAsync($"host-{host}-load1", expected[^1], TimeSpan.FromSeconds(30));
            await Task.Delay(TimeSpan.FromSeconds(1)); // a duplicate would have arrived by now

            foreach (var recorder in recorders)
            {
                Assert.Equal(expected, recorder.ValuesOf($"host-{host}-load1"));
                // The real collector's samples reach every replica's clients too.
                Assert.NotEmpty(recorder.ValuesOf($"host-{ClusterFixture.CollectorHost}-load1"));
            }
        }
        finally
        {
            foreach (var recorder in recorders) await recorder.Client.DisposeAsync();
        }
    }
}
