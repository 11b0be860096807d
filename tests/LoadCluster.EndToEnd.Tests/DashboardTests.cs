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
        await page.WaitForFunctionAsync("() => ['loadcluster.web.relay.samples', 'loadcluster.web.relay.lag'].every(n => document.body.innerText.includes(n))",
            null, new() { Timeout = Ms(Patience) });
    }

    [Fact]
    public async Task The_fleet_simulator_is_a_resource_off_by_default_whose_start_command_puts_its_hosts_on_the_board()
    {
        using var http = new HttpClient();
        var api = new Uri(fixture.FrontDoor, "/api/hosts");
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.DashboardLogin.ToString());
        await page.WaitForFunctionAsync("() => document.body.innerText.split(/\\s+/).includes('simulator')", null, new() { Timeout = Ms(Patience) });
        Assert.Equal(KnownResourceStates.NotStarted, fixture.Resources.StateOf("simulator"));
        Assert.DoesNotContain("\"sim-", await http.GetStringAsync(api), StringComparison.Ordinal);

        // What the Start button on its row does.
        await fixture.CommandAsync("simulator", KnownResourceCommands.StartCommand);
        try
        {
            var last = $"\"host\":\"sim-{ClusterFixture.SimulatedHosts:00000}\"";
            await Wait.UntilAsync(async () => (await http.GetStringAsync(api)).Contains(last, StringComparison.Ordinal), Patience, "the simulated hosts on the board");
            await fixture.Resources.WaitAsync(() => fixture.Resources.StateOf("simulator") == KnownResourceStates.Running, Patience, "the simulator running");
        }
        finally
        {
            await fixture.CommandAsync("simulator", KnownResourceCommands.StopCommand);
        }
    }

    private static int Occurrences(string text, string word) => text.Split(word).Length - 1;
}
