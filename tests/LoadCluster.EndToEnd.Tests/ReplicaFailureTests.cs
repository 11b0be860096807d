using static LoadCluster.EndToEnd.Tests.Pages;

namespace LoadCluster.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class ReplicaFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Killing_a_replica_leaves_other_replicas_clients_untouched_and_its_browser_reconnects_through_the_front_door_and_resyncs()
    {
        var recorders = new List<TurboSocketClient>();
        Replica? victim = null;
        var replicas = fixture.WebReplicas;
        try
        {
            foreach (var web in replicas)
                recorders.Add(await fixture.OpenOverviewAsync(web));
            // Wait for earlier tests' connections to be gone, so the browser's is the only extra one.
            await Wait.UntilAsync(async () => (await fixture.ConnectionsPerReplicaAsync()).Values.All(c => c == 1),
                TimeSpan.FromSeconds(30), "each replica reports exactly our one direct client");

            await using var context = await fixture.Browser.NewContextAsync();
            var page = await OpenLiveAsync(context, fixture.FrontDoor);
            Dictionary<string, int> counts = [];
            await Wait.UntilAsync(async () => (counts = await fixture.ConnectionsPerReplicaAsync()).Values.Any(c => c == 2),
                TimeSpan.FromSeconds(30), "one replica reports the browser's connection");
            victim = replicas.Single(w => counts[w.Name] == 2);
            var survivors = replicas.Select((w, i) => (w, r: recorders[i])).Where(x => x.w != victim).Select(x => x.r).ToList();
            await MarkWindowAsync(page);
            await page.EvaluateAsync("() => { window.__e2eStates = []; document.addEventListener('turbo-stream-sources:state', e => window.__e2eStates.push(e.detail.state)); }");

            var host = "e2e-kill-" + Guid.NewGuid().ToString("N")[..8];
            victim.Kill();
            // Published while the browser's replica is dead: the browser can only get it by resyncing.
            await fixture.PublishAsync(host, 3.33);

            await page.WaitForFunctionAsync("() => window.__e2eStates.includes('reconnecting')", null, new() { Timeout = Ms(Patience) });
            await WaitLiveAsync(page);
            await WaitTextAsync(page, $"host-{host}-load1", "3.33");
            // The next is published once the survivors' clients show this one too: a stream pushes at
            // most MaxPushesPerSecond, and two samples within one interval go out as one push (the latest).
            foreach (var survivor in survivors) await survivor.WaitForValueAsync($"host-{host}-load1", "3.33", Patience);
            await fixture.PublishAsync(host, 4.44);
            await WaitTextAsync(page, $"host-{host}-load1", "4.44");
            Assert.Equal("same document", await WindowMarkAsync(page));

            foreach (var survivor in survivors)
            {
                await survivor.WaitForValueAsync($"host-{host}-load1", "4.44", Patience);
                Assert.Equal(["3.33", "4.44"], survivor.ValuesOf($"host-{host}-load1"));
                Assert.False(survivor.Closed.IsCompleted, "a client of a surviving replica was disconnected");
            }

            // The dead replica shows as such, and new page loads through the front door still work.
            await fixture.Resources.WaitAsync(() => fixture.Resources.Instance(victim.Name) is { } e && !Resources.IsUp(e), Patience, $"{victim.Name} shown as not running");
            for (var i = 0; i < 6; i++)
            {
                await using var fresh = await fixture.Browser.NewContextAsync();
                var again = await OpenLiveAsync(fresh, fixture.FrontDoor);
                await WaitTextAsync(again, $"host-{host}-load1", "4.44");
            }
        }
        finally
        {
            foreach (var recorder in recorders) await recorder.DisposeAsync();
            // Leave the cluster whole for the other tests: restart the victim as its Start button in the dashboard does.
            if (victim is not null)
            {
                await fixture.CommandAsync(victim.Name, KnownResourceCommands.StartCommand);
                await fixture.Resources.WaitAsync(() => fixture.WebReplicas.Count == 3, TimeSpan.FromSeconds(90), "three healthy web replicas again");
            }
        }
    }
}
