using static LoadCluster.EndToEnd.Tests.Pages;

namespace LoadCluster.EndToEnd.Tests;

/// <summary>The Aspire dashboard that comes with the AppHost, in Chromium, as a developer opens it from the console's login URL.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DashboardTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Login_shows_every_resource_running_and_healthy_each_replica_apart_then_the_webs_traces_and_own_meter()
    {
        var replicas = fixture.WebReplicas.Select(r => r.Name).ToList();
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(fixture.DashboardLogin.ToString());
        // innerText holds what is shown: every resource's row, each replica apart.
        string[] names = ["redis", "redis-server", "collector", .. replicas];
        await page.WaitForFunctionAsync("names => { const shown = document.body.innerText.split(/\\s+/); return names.every(n => shown.includes(n)); }",
            names, new() { Timeout = Ms(Patience) });
        var resources = await page.InnerTextAsync("body");
        Assert.Equal(3, replicas.Count);
        Assert.True(Occurrences(resources, "Running") >= 6, resources);
        Assert.DoesNotContain("Unhealthy", resources, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate", resources, StringComparison.OrdinalIgnoreCase);

        // A page view makes server spans, and every replica's own meter reports.
        using (var http = new HttpClient()) await http.GetStringAsync(fixture.FrontDoor);
        await page.GotoAsync(new Uri(fixture.DashboardLogin, "/traces").ToString());
        await page.WaitForFunctionAsync("names => names.some(n => document.body.innerText.includes(n))", replicas, new() { Timeout = Ms(Patience) });

        await page.GotoAsync(new Uri(fixture.DashboardLogin, $"/metrics/resource/{replicas[0]}?meter=LoadCluster.Web").ToString());
        await page.WaitForFunctionAsync("() => ['loadcluster.web.samples.relayed', 'loadcluster.web.relay.lag'].every(n => document.body.innerText.includes(n))",
            null, new() { Timeout = Ms(Patience) });
    }

    private static int Occurrences(string text, string word) => text.Split(word).Length - 1;
}
