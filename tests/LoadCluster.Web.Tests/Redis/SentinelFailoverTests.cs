using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using LoadCluster.Samples;
using LoadCluster.Turbo;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace LoadCluster.Web.Tests.Redis;

/// <summary>
/// Redis with Sentinel under a live board, as docker compose runs it (a primary, a replica and
/// three sentinels, TLS only, users on every node and sentinel: <see cref="TestSentinel"/>), two web
/// replicas on the web replicas' user, the collector on its host's user and the fleet simulator
/// (100 hosts at 1 Hz, on the admin's) as processes, all connected through the sentinels. Each replica has two page
/// sockets open: the overview, and an application stream that the first replica pushes to every
/// 100 ms (a numbered push), which reaches the second one through the SignalR backplane. Then the
/// primary is killed (SIGKILL), the sentinels promote the replica, the old primary comes back and
/// becomes a replica, and the new primary is killed in turn: <see cref="Failovers"/> times. Each
/// time the board and the pushes must move again (the time each took is printed: the README's figures;
/// the issue's 10 s is a speed target, read from those figures, not a bound a busy machine could trip), every subscription (samples,
/// backplane, sign-out, probes) must be back once on the new primary and on no replica, and both
/// replicas healthy; at the end no page socket has closed, no push arrived twice, no row went
/// back to an older sample, and no node or sentinel refused a command (ACL LOG).
/// </summary>
[Collection(SentinelFailoverCollection.Name)]
public sealed partial class SentinelFailoverTests(ITestOutputHelper output)
{
    private const string AppStream = "app:failover";
    private const string CollectorHost = "failover-collector";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Failovers per run: 2, or LOADCLUSTER_FAILOVERS (the README's figures come from a run of 6).</summary>
    private static int Failovers =>
        int.TryParse(Environment.GetEnvironmentVariable("LOADCLUSTER_FAILOVERS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2;

    [Fact]
    public async Task Killing_the_primary_fails_over_and_the_board_and_pushes_move_again_without_a_page_reconnect_a_push_twice_or_an_older_sample()
    {
        using var tls = new TestTls();
        await using var redis = await TestSentinel.StartAsync(acl: true, tls: tls);
        var acl = new RedisAcl(new RedisNames());
        var webUser = await redis.CreateUserAsync(acl.WebUser, acl.WebRules);
        var trust = new Dictionary<string, string?> { [RedisExtensions.CaFileSetting] = tls.CaFile };
        await using var web1 = await WebApp.StartAsync(webUser, "failover-1", settings: trust);
        await using var web2 = await WebApp.StartAsync(webUser, "failover-2", settings: trust);
        WebApp[] webs = [web1, web2];
        await using var collector = await AppProcess.StartToolAsync(Built("src", "LoadCluster.Collector"), [], ready: $"Collecting {CollectorHost}",
            environment: new Dictionary<string, string>
            {
                ["ConnectionStrings__redis"] = await redis.CreateUserAsync(acl.HostUser(CollectorHost), acl.HostRules(CollectorHost)),
                ["LoadCluster__Redis__CaFile"] = tls.CaFile,
                ["Collector__Host"] = CollectorHost,
            });
        await using var fleet = await AppProcess.StartToolAsync(Built("bench", "LoadCluster.FleetSimulator"),
            ["--hosts", "100", "--interval", "1s", "--flaky", "0", "--redis", redis.ConnectionString], ready: "simulating 100 hosts",
            environment: new Dictionary<string, string> { ["LoadCluster__Redis__CaFile"] = tls.CaFile });

        var boards = new List<TurboSocketClient>();
        var apps = new List<TurboSocketClient>();
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentDictionary<int, TimeSpan>();
        Task? pushing = null;
        try
        {
            foreach (var (web, i) in webs.Select((w, i) => (w, i + 1)))
            {
                var overview = SignedStreamNames.FirstIn(await web.Http.GetStringAsync("/")) ?? throw new InvalidOperationException("the overview has no stream");
                boards.Add(await TurboSocketClient.ConnectAsync(web.Endpoint, overview, label: $"overview on replica {i}"));
                apps.Add(await TurboSocketClient.ConnectAsync(web.Endpoint, web.Services.GetRequiredService<ITurboStreamNameSigner>().Sign(AppStream), label: $"{AppStream} on replica {i}"));
            }
            pushing = PushNumbersAsync(web1.Services.GetRequiredService<ITurboPush>(), sent, stop.Token);
            await MovedAsync(boards, apps, sent, TurboSocketClient.Now, TurboSocketClient.Now, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "before the first kill");

            var gaps = new List<(TimeSpan Promoted, TimeSpan Board, TimeSpan Pushes)>();
            for (var round = 1; round <= Failovers; round++)
            {
                var before = await SubscriptionsAsync(redis, await redis.PrimaryPortAsync());
                // Gaps count from before the kill; what moves the board again is a sample taken after it (and a push sent after it).
                var killedAt = TurboSocketClient.Now;
                var old = await redis.KillPrimaryAsync();
                var deadAt = TurboSocketClient.Now;
                var deadAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var primary = await redis.WaitForNewPrimaryAsync(old, Patience);
                var promoted = TurboSocketClient.Now - killedAt;
                var (board, pushes) = await MovedAsync(boards, apps, sent, killedAt, deadAt, deadAtMs, $"after kill {round}");
                gaps.Add((promoted, board, pushes));
                output.WriteLine($"failover {round}: 127.0.0.1:{old} killed; 127.0.0.1:{primary} promoted after {promoted.TotalSeconds:0.0} s; " +
                    $"the board moved again after {board.TotalSeconds:0.0} s and the pushes after {pushes.TotalSeconds:0.0} s");

                // Every subscription is back, on the new primary alone: samples, backplane, sign-out, probes.
                await Wait.UntilAsync(async () => Same(before, await SubscriptionsAsync(redis, primary)), Patience, $"the subscriptions [{Describe(before)}] are on the new primary");
                await Wait.ForAsync(async () => string.Join("; ", await Task.WhenAll(webs.Select(HealthAsync))),
                    all => !all.Contains("Unhealthy", StringComparison.Ordinal) && !all.Contains("unreachable", StringComparison.Ordinal), "both replicas are healthy", Patience);

                await redis.StartNodeAsync(old);
                await redis.WaitForReplicaAsync(old, Patience);
                Assert.Empty(await SubscriptionsAsync(redis, old));
            }
            await MovedAsync(boards, apps, sent, TurboSocketClient.Now, TurboSocketClient.Now, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "after the last old primary returned");

            output.WriteLine($"{Failovers} failovers: the board moved again after {Summary(gaps.Select(g => g.Board))}, the pushes after {Summary(gaps.Select(g => g.Pushes))} " +
                $"(promotion {Summary(gaps.Select(g => g.Promoted))})");
            Assert.All(boards.Concat(apps), socket => Assert.False(socket.Closed.IsCompleted, $"{socket.Label} {socket.ClosedHow}: the page would have reconnected"));
            Assert.All(apps, socket => Assert.Empty(Numbers(socket).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key)));
            Assert.All(boards, socket => Assert.Empty(BackInTime(socket)));
            // Every service asked only what its user may, of every node and sentinel, through every failover.
            foreach (var port in redis.NodePorts) Assert.Equal("", await redis.CliAsync(port, "ACL", "LOG"));
            for (var sentinel = 0; sentinel < 3; sentinel++) Assert.Equal("", await redis.SentinelCliAsync(sentinel, "ACL", "LOG"));
        }
        finally
        {
            await stop.CancelAsync();
            if (pushing is not null) await pushing;
            foreach (var socket in boards.Concat(apps)) await socket.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits until every overview socket has shown a sample taken after <paramref name="afterMs"/> (Unix ms) and
    /// every application socket a push sent after <paramref name="after"/>; returns how long after <paramref name="since"/>
    /// the last socket of each kind got one.
    /// </summary>
    private static async Task<(TimeSpan Board, TimeSpan Pushes)> MovedAsync(List<TurboSocketClient> boards, List<TurboSocketClient> apps,
        ConcurrentDictionary<int, TimeSpan> sent, TimeSpan since, TimeSpan after, long afterMs, string when)
    {
        bool NewPush(string markup) => PushNumbers().Matches(markup).Any(m => sent.TryGetValue(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), out var at) && at >= after);

        TimeSpan?[] board = [], pushes = [];
        await Wait.UntilAsync(() =>
        {
            board = [.. boards.Select(s => s.FirstSampleAfter(after, afterMs))];
            pushes = [.. apps.Select(s => s.Messages.Where(m => m.At >= after && NewPush(m.Markup)).Select(m => (TimeSpan?)m.At).FirstOrDefault())];
            return board.All(b => b is not null) && pushes.All(p => p is not null);
        }, Patience, $"every page socket moved {when} (board: {string.Join(", ", boards.Select(s => s.Label))}; pushes: {string.Join(", ", apps.Select(s => s.Label))})");
        return (board.Max()!.Value - since, pushes.Max()!.Value - since);
    }

    /// <summary>A numbered push every 100 ms to <see cref="AppStream"/>, through the backplane; a push that fails while Redis is away is lost (at most once).</summary>
    private static async Task PushNumbersAsync(ITurboPush push, ConcurrentDictionary<int, TimeSpan> sent, CancellationToken stop)
    {
        for (var number = 0; !stop.IsCancellationRequested; number++)
        {
            sent[number] = TurboSocketClient.Now;
            try { await push.ToStreamsAsync(AppStream, $"<turbo-stream action=\"update\" target=\"n\"><template>push {number}</template></turbo-stream>"); }
            catch (Exception e) when (e is not OperationCanceledException) { }
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>The cluster's pub/sub subscriptions on one node: subscribers per channel under the prefix, and the number of patterns.</summary>
    private static async Task<Dictionary<string, int>> SubscriptionsAsync(TestSentinel redis, int port)
    {
        var channels = (await redis.CliAsync(port, "PUBSUB", "CHANNELS", "loadcluster:*")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            // StackExchange.Redis's own channel (configChannel), which it subscribes on every node it knows: no data flows there.
            .Where(channel => !channel.EndsWith(":__Booksleeve_MasterChanged", StringComparison.Ordinal)).ToArray();
        var counts = new Dictionary<string, int>();
        if (channels.Length > 0)
        {
            var numsub = (await redis.CliAsync(port, ["PUBSUB", "NUMSUB", .. channels])).Split('\n', StringSplitOptions.TrimEntries);
            for (var i = 0; i + 1 < numsub.Length; i += 2) counts[numsub[i]] = int.Parse(numsub[i + 1], CultureInfo.InvariantCulture);
        }
        var patterns = int.Parse(await redis.CliAsync(port, "PUBSUB", "NUMPAT"), CultureInfo.InvariantCulture);
        if (patterns > 0) counts["(patterns)"] = patterns;
        return counts.Where(c => c.Value > 0).ToDictionary();
    }

    private static bool Same(Dictionary<string, int> a, Dictionary<string, int> b) => a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var n) && n == e.Value);

    private static string Describe(Dictionary<string, int> subscriptions) => string.Join(", ", subscriptions.Select(s => $"{s.Key}={s.Value}"));

    /// <summary>The replica's /health answer: its status and each check's.</summary>
    private static async Task<string> HealthAsync(WebApp web)
    {
        try { return await (await web.Http.GetAsync("/health")).Content.ReadAsStringAsync(); }
        catch (HttpRequestException e) { return $"unreachable: {e.Message}"; }
    }

    private static IEnumerable<int> Numbers(TurboSocketClient socket) =>
        socket.Messages.SelectMany(m => PushNumbers().Matches(m.Markup)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>
    /// Overview rows that show an older sample of their host than a row before them on the same socket:
    /// a failover must not bring back the past (a lagging replica's data, a sample delivered late twice).
    /// </summary>
    private static IEnumerable<string> BackInTime(TurboSocketClient socket)
    {
        var newest = new Dictionary<string, long>();
        foreach (Match row in socket.Messages.SelectMany(m => RowSamples().Matches(m.Markup)))
        {
            var (host, ts) = (row.Groups[1].Value, long.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture));
            if (newest.TryGetValue(host, out var seen) && ts < seen) yield return $"{host}: {ts} after {seen}";
            else newest[host] = ts;
        }
    }

    private static string Summary(IEnumerable<TimeSpan> gaps)
    {
        var sorted = gaps.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return $"median {median.TotalSeconds:0.0} s, worst {sorted[^1].TotalSeconds:0.0} s";
    }

    private static string Built(string folder, string project) =>
        Path.Combine(Checkout.Root, folder, project, "bin", Checkout.Configuration, "net10.0", project + ".dll");

    [GeneratedRegex("<template>push (\\d+)</template>")]
    private static partial Regex PushNumbers();

    [GeneratedRegex("<tr id=\"host-([^\"]+)\"[^>]* data-ts=\"(\\d+)\"")]
    private static partial Regex RowSamples();
}
