using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoadCluster.Samples;
using LoadCluster.Testing;
using Xunit.Abstractions;

namespace LoadCluster.Compose.Tests;

/// <summary>
/// The root docker-compose.yml, built and run unchanged on a real Docker engine (plus
/// compose.test.yml, which publishes each web replica on loopback). No registry is reachable in
/// CI, so scripts/test.sh has built local stand-ins for the public base images. One test walks
/// the whole life of a cluster, as its phases depend on each other.
/// </summary>
[Collection(ComposeCollection.Name)]
public sealed class ComposeClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Healthy = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);
    private const string CollectorHost = "compose-machine";

    /// <summary>Redis's two data nodes and three sentinels.</summary>
    private static readonly string[] RedisServices = ["redis-a", "redis-b", "sentinel-1", "sentinel-2", "sentinel-3"];

    /// <summary>redis-cli inside a Redis container, over TLS, as the admin (REDISCLI_AUTH from the container's environment).</summary>
    private static readonly string[] AdminCli = ["redis-cli", "--tls", "--cacert", "/tls/ca.crt", "--user", "admin"];
    private readonly string _runId = Guid.NewGuid().ToString("N")[..6];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Compose_cluster_delivers_each_sample_once_per_client_while_scaling_and_through_two_Redis_failovers_and_down_leaves_nothing()
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["TURBO_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            ["REDIS_ADMIN_PASSWORD"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["COLLECTOR_HOST"] = CollectorHost,
            ["LOADCLUSTER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["LOADCLUSTER_BIND"] = "127.0.0.1",
            ["LOADCLUSTER_ORIGIN"] = $"http://127.0.0.1:{port}",
            ["LOADCLUSTER_TAG"] = "compose-test",
        };
        var frontDoor = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var streams = new List<TurboSocketClient>();
        var project = await ComposeProject.CreateAsync(settings, Log);
        try
        {
            await DockerEngine.RequireAsync();

            Phase("compose build");
            await project.RunAsync(TimeSpan.FromMinutes(20), "build", "--force-rm");

            Phase("up with 3 web replicas");
            await project.RunAsync(TimeSpan.FromMinutes(5), "up", "-d", "--no-build", "--scale", "web=3");
            foreach (var service in RedisServices) await project.WaitHealthyAsync(service, 1, Healthy);
            await project.WaitHealthyAsync("collector", 1, Healthy);
            var webs = await project.WaitHealthyAsync("web", 3, Healthy);
            await project.WaitHealthyAsync("nginx", 1, Healthy);

            Phase("3 replicas: each sample once per client, through nginx too");
            foreach (var web in webs) streams.Add(await HostsStream.OpenAsync($"web#{web.Number}", ReplicaUrl(web), http));
            var viaNginx = await HostsStream.OpenAsync("nginx", frontDoor, http);
            streams.Add(viaNginx);
            await DeliverBatchOnceAsync(project, streams, "three", 11);
            // The real collector, reading the host's /proc on its own Redis user, reaches every client too.
            foreach (var stream in streams)
                await Wait.UntilAsync(() => stream.ValuesOf($"host-{CollectorHost}-load1").Count > 0, Delivery, $"{stream.Label} got a sample from the collector");
            await NoHostMayDoMoreAsync(project);

            Phase("scale to 5, and another host enrolled as README's \"Adding a host\" says");
            await project.RunAsync(TimeSpan.FromMinutes(5), "up", "-d", "--no-build", "--no-recreate", "--scale", "web=5");
            webs = await project.WaitHealthyAsync("web", 5, Healthy);
            await using var secondHost = await project.EnrollAndRunCollectorAsync("compose-second-host");
            await Wait.UntilAsync(() => viaNginx.ValuesOf("host-compose-second-host-load1").Count > 0, Delivery, "a sample from the second host's collector arrived");
            foreach (var web in webs.Where(w => streams.All(s => s.Label != $"web#{w.Number}")))
                streams.Add(await HostsStream.OpenAsync($"web#{web.Number}", ReplicaUrl(web), http));
            Assert.Equal(6, streams.Count);
            await DeliverBatchOnceAsync(project, streams, "five", 12);
            await NginxReachesExactlyAsync(http, frontDoor, webs);

            Phase("scale back to 2");
            await project.RunAsync(TimeSpan.FromMinutes(5), "up", "-d", "--no-build", "--no-recreate", "--scale", "web=2");
            webs = await project.WaitHealthyAsync("web", 2, Healthy);
            // Clients of removed replicas (and the nginx one, which may have been on one) go; the rest stay.
            var surviving = streams.Where(s => webs.Any(w => s.Label == $"web#{w.Number}")).ToList();
            foreach (var gone in streams.Except(surviving)) await gone.DisposeAsync();
            streams = surviving;
            Assert.Equal(2, streams.Count);
            Assert.All(streams, s => Assert.False(s.Closed.IsCompleted, $"{s.Label} lost its connection while other replicas were removed"));
            await NginxReachesExactlyAsync(http, frontDoor, webs);
            streams.Add(await HostsStream.OpenAsync("nginx-2", frontDoor, http));
            await DeliverBatchOnceAsync(project, streams, "two", 13);

            Phase("the Redis primary killed, twice: Sentinel fails over, pages through nginx stay and move again");
            var collectorSamplesBefore = streams.ToDictionary(s => s, s => s.ValuesOf($"host-{CollectorHost}-load1").Count);
            for (var round = 1; round <= 2; round++)
            {
                var primary = await PrimaryAsync(project);
                var killedAt = TurboSocketClient.Now;
                await ComposeProject.KillAsync(primary);
                var deadAt = TurboSocketClient.Now;
                var deadAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                // Moving again: every socket shows a collector's sample taken after the kill.
                await Wait.UntilAsync(() => streams.All(s => s.FirstSampleAfter(deadAt, deadAtMs) is not null), Delivery,
                    $"every page showed a sample taken after the kill of {primary.Service}");
                var gap = streams.Max(s => s.FirstSampleAfter(deadAt, deadAtMs)!.Value) - killedAt;
                // The pages may move before the promotion (PUBLISH works on the replica): wait for the sentinels to name the other node.
                var promoted = primary;
                await Wait.UntilAsync(async () => (promoted = await PrimaryAsync(project)).Service != primary.Service, Delivery,
                    $"the sentinels promoted a node in place of {primary.Service}");
                Log($"failover {round}: {primary.Service} killed, {promoted.Service} promoted {(TurboSocketClient.Now - killedAt).TotalSeconds:0.0} s after the kill at the latest; " +
                    $"every page moved again {gap.TotalSeconds:0.0} s after the kill");

                await ComposeProject.StartAsync(primary);
                await Wait.UntilAsync(async () => (await ComposeProject.ExecAsync(primary, null, [.. AdminCli, "INFO", "replication"])).Output is var info
                    && info.Contains("role:slave", StringComparison.Ordinal) && info.Contains("master_link_status:up", StringComparison.Ordinal),
                    Delivery, $"{primary.Service} is back as a replica of {promoted.Service}");
                await project.WaitHealthyAsync("web", 2, Healthy);
                await DeliverBatchOnceAsync(project, streams, $"failover-{round}", 13 + round);
            }
            Assert.All(streams, s => Assert.False(s.Closed.IsCompleted, $"{s.Label} closed during a failover ({s.ClosedHow}): its page would have reconnected"));
            foreach (var stream in streams)
                await Wait.UntilAsync(() => stream.ValuesOf($"host-{CollectorHost}-load1").Count > collectorSamplesBefore[stream], Delivery,
                    $"{stream.Label} got the collector's samples again after the failovers");

            Phase("down -v");
            await secondHost.DisposeAsync();
            foreach (var stream in streams) await stream.DisposeAsync();
            streams.Clear();
            await project.DownAsync();
            var leftovers = await project.LeftoversAsync();
            Assert.True(leftovers.Count == 0, $"down -v left behind: {string.Join(", ", leftovers)}");
        }
        catch
        {
            foreach (var service in (string[])["init", .. RedisServices, "enroll", "collector", "web", "nginx"])
                Log($"--- logs of {service}\n{await project.LogsAsync(service)}");
            throw;
        }
        finally
        {
            foreach (var stream in streams) await stream.DisposeAsync();
            await project.DisposeAsync();
            var total = $"compose test took {_clock.Elapsed.TotalSeconds:0} s in all";
            Log(total);
            Console.WriteLine(total);
        }
    }

    private static Uri ReplicaUrl(ComposeContainer web) =>
        web.PublishedPort > 0 ? new($"http://127.0.0.1:{web.PublishedPort}/") : throw new InvalidOperationException($"web#{web.Number} has no published port (compose.test.yml)");

    /// <summary>
    /// Publishes five samples of a new host, each with a load no other sample has, the next once
    /// every client shows this one (so none is merged into the next push), and checks that every
    /// client received each of them exactly once, in order. A client's messages come in order: once
    /// it shows the last value, every copy of the earlier ones has arrived.
    /// </summary>
    private async Task DeliverBatchOnceAsync(ComposeProject project, IReadOnlyList<TurboSocketClient> streams, string phase, int whole)
    {
        var host = $"compose-{phase}-{_runId}";
        var expected = Enumerable.Range(1, 5).Select(i => (whole + i / 100.0).ToString("0.00", CultureInfo.InvariantCulture)).ToList();
        var redis = await PrimaryAsync(project);
        foreach (var value in expected)
        {
            await PublishAsync(redis, host, double.Parse(value, CultureInfo.InvariantCulture));
            foreach (var stream in streams) await stream.WaitForValueAsync($"host-{host}-load1", value, Delivery);
        }
        foreach (var stream in streams)
            Assert.True(expected.SequenceEqual(stream.ValuesOf($"host-{host}-load1")),
                $"{stream.Label} ({phase}): expected [{string.Join(", ", expected)}], got [{string.Join(", ", stream.ValuesOf($"host-{host}-load1"))}]");
        Log($"{streams.Count} clients each received the 5 samples of {host} once");
    }

    /// <summary>The data node the sentinels name as the primary now (they announce it by its service name).</summary>
    private static async Task<ComposeContainer> PrimaryAsync(ComposeProject project)
    {
        var sentinel = (await project.ContainersAsync("sentinel-1")).Single();
        var answer = await ComposeProject.ExecAsync(sentinel, null, [.. AdminCli, "-p", "26379", "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "loadcluster"]);
        return (await project.ContainersAsync(answer.Output.Split('\n', StringSplitOptions.TrimEntries)[0])).Single();
    }

    /// <summary>Requests /api/cluster through nginx until it has seen every replica and, for 20 requests in a row, only them.</summary>
    private async Task NginxReachesExactlyAsync(HttpClient http, Uri frontDoor, IReadOnlyList<ComposeContainer> webs)
    {
        var wanted = webs.Select(w => w.Hostname).ToHashSet();
        var seen = new HashSet<string>();
        var inARow = 0;
        var last = "";
        await Wait.UntilAsync(async () =>
        {
            if (seen.IsSupersetOf(wanted) && inARow >= 20) return true;
            try
            {
                using var response = await http.GetAsync(new Uri(frontDoor, "api/cluster"));
                last = $"{(int)response.StatusCode}";
                var self = response.IsSuccessStatusCode
                    ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("self").GetString() ?? ""
                    : "";
                var hostname = self.Contains('-', StringComparison.Ordinal) ? self[..self.LastIndexOf('-')] : self;
                last += $" from {hostname}";
                if (wanted.Contains(hostname)) { seen.Add(hostname); inARow++; }
                else { seen.Clear(); inARow = 0; }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
                inARow = 0;
            }
            return false;
        }, TimeSpan.FromSeconds(60), $"nginx routed to exactly [{string.Join(", ", wanted)}] (seen [{string.Join(", ", seen)}], last: {last})");
        Log($"nginx routes to exactly the {wanted.Count} current replicas");
    }

    private static async Task PublishAsync(ComposeContainer redis, string host, double load1)
    {
        // A long interval keeps the host "live": no state change re-renders its row while we count.
        var sample = TestSamples.Of(host, load1, intervalMs: 60_000);
        // As the admin, on the host's own channel. redis-cli -x takes the last argument from stdin.
        await ComposeProject.ExecAsync(redis, Encoding.UTF8.GetString(SampleJson.Serialize(sample)), [.. AdminCli, "-x", "PUBLISH", new RedisNames().SamplesChannel(host)]);
    }

    /// <summary>
    /// The collector's own user, on both data nodes (users do not replicate), may do nothing but
    /// its report: refused another host's channel, the backplane, the key ring, FLUSHALL (ACL
    /// DRYRUN), and the default user is off; on the sentinels it may only follow the primary.
    /// </summary>
    private async Task NoHostMayDoMoreAsync(ComposeProject project)
    {
        var user = new RedisAcl(new RedisNames()).HostUser(CollectorHost);
        foreach (var node in new[] { "redis-a", "redis-b" })
        {
            var redis = (await project.ContainersAsync(node)).Single();
            Assert.Equal("OK", (await ComposeProject.ExecAsync(redis, null, [.. AdminCli, "ACL", "DRYRUN", user, "PUBLISH", new RedisNames().SamplesChannel(CollectorHost), "{}"])).Output.Trim());
            foreach (var command in new[] { "PUBLISH loadcluster:samples:other {}", "PUBLISH loadcluster:LoadCluster.Turbo.TurboStreamsHub:all x", "LRANGE loadcluster:dataprotection-keys 0 -1", "FLUSHALL" })
                Assert.NotEqual("OK", (await ComposeProject.ExecAsync(redis, null, [.. AdminCli, "ACL", "DRYRUN", user, .. command.Split(' ')])).Output.Trim());
            Assert.Contains("user default off", (await ComposeProject.ExecAsync(redis, null, [.. AdminCli, "ACL", "LIST"])).Output, StringComparison.Ordinal);
        }
        foreach (var sentinel in new[] { "sentinel-1", "sentinel-2", "sentinel-3" })
        {
            var rules = (await ComposeProject.ExecAsync((await project.ContainersAsync(sentinel)).Single(), null, [.. AdminCli, "-p", "26379", "ACL", "GETUSER", user])).Output;
            Assert.Contains("sentinel|get-master-addr-by-name", rules, StringComparison.Ordinal);
            Assert.DoesNotContain("sentinel|failover", rules, StringComparison.Ordinal);
        }
        Log($"{user}: on both nodes only its own report allowed, on the sentinels only following the primary; default user off");
    }

    private void Phase(string name) => Log($"== {name} (at {_clock.Elapsed.TotalSeconds:0} s)");

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // No test is running any more (cleanup after the end).
        }
    }
}
