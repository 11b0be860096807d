using System.Collections.Concurrent;
using System.Diagnostics;
using LoadCluster.SignalR.Redis.Tests.EndToEnd;
using LoadCluster.Testing;
using Xunit.Abstractions;

namespace LoadCluster.SignalR.Redis.Tests.Faults;

/// <summary>Redis killed and restarted under traffic, with three real Kestrel servers and WebSocket clients.</summary>
public sealed class KestrelOutageTests(ITestOutputHelper output)
{
    private sealed record Delivery(string Id, TimeSpan At);

    [Fact]
    public async Task Redis_killed_and_restarted_under_traffic_keeps_clients_connected_resumes_delivery_and_never_duplicates()
    {
        await using var redis = await RedisServer.StartAsync();
        var servers = new List<KestrelNode>();
        var clients = new List<SignalRJsonClient>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < 3; i++) servers.Add(await KestrelNode.StartAsync(redis.ConnectionString, "outage"));
            for (var i = 0; i < 6; i++) clients.Add(await servers[i % 3].ConnectAsync());
            var sender = await servers[0].ConnectAsync();
            clients.Add(sender);
            var clock = Stopwatch.StartNew();
            var deliveries = clients.Select(_ => new ConcurrentQueue<Delivery>()).ToArray();
            var readers = clients.Select((c, i) => Task.Run(async () =>
            {
                await foreach (var message in c.Received.ReadAllAsync())
                    deliveries[i].Enqueue(new Delivery(message.Arguments[0]!.ToString(), clock.Elapsed));
            })).ToArray();
            var sentAt = new ConcurrentDictionary<string, TimeSpan>();
            var failedSends = 0;
            var traffic = Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var id = $"msg-{n}";
                    sentAt[id] = clock.Elapsed;
                    try { await sender.InvokeAsync("Broadcast", id); }
                    catch (HubErrorException) { Interlocked.Increment(ref failedSends); }
                    await Task.Delay(50);
                }
            });

            await Task.Delay(1000);
            await redis.StopAsync();
            await Task.Delay(2000);
            await redis.StartAsync();
            var restartedAt = clock.Elapsed;

            // Every client on the other servers must get something sent after the restart.
            TimeSpan? ResumedAt(int i) => deliveries[i].Where(d => sentAt[d.Id] > restartedAt).Select(d => (TimeSpan?)d.At).FirstOrDefault();
            var remote = Enumerable.Range(0, clients.Count).Where(i => i % 3 != 0 && i != clients.Count - 1).ToArray();
            while (remote.Any(i => ResumedAt(i) is null) && clock.Elapsed - restartedAt < TimeSpan.FromSeconds(30)) await Task.Delay(100);
            await Task.Delay(1000);
            await stop.CancelAsync();
            await traffic;

            var resumed = remote.Select(ResumedAt).ToArray();
            Assert.All(resumed, r => Assert.NotNull(r));
            var worst = resumed.Max(r => r!.Value) - restartedAt;
            output.WriteLine($"sent {sentAt.Count} broadcasts, {failedSends} failed fast while Redis was down; delivery to other servers resumed {worst.TotalMilliseconds:0} ms after Redis restarted");
            Assert.True(worst < TimeSpan.FromSeconds(30));
            Assert.True(failedSends > 0, "sends during the outage fail instead of queueing");

            await Task.Delay(500);
            foreach (var client in clients) Assert.False(client.Closed.IsCompleted, "a client was disconnected by the outage");
            foreach (var queue in deliveries)
            {
                var ids = queue.Select(d => d.Id).ToList();
                Assert.Equal(ids.Count, ids.Distinct().Count());
            }
            // The sending server's own clients got every broadcast, Redis or not.
            var everyId = sentAt.Keys.Where(id => deliveries[^1].Any(d => d.Id == id)).Count();
            Assert.Equal(sentAt.Count, everyId);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in clients) await client.DisposeAsync();
            foreach (var server in servers) await server.DisposeAsync();
        }
    }
}
