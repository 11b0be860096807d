using System.Diagnostics.Metrics;
using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// A host speaks only for itself: with one host's credential nothing but its own report gets
/// through, and a sample on a host's channel that names another host is dropped, counted and
/// logged, never shown. The web replica runs on the web replicas' user (RelayFixture).
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class HostCredentialTests(RelayFixture fixture)
{
    [Fact]
    public async Task A_sample_whose_host_is_not_its_channels_is_dropped_counted_and_never_shown()
    {
        using var impostors = new MeterListener();
        long counted = 0;
        impostors.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "loadcluster.web.relay.dropped_samples") listener.EnableMeasurementEvents(instrument);
        };
        impostors.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "error.type", Value: "impostor" }) Interlocked.Add(ref counted, value);
        });
        impostors.Start();
        await fixture.WaitUntilRelayingAsync("honest-1");

        // honest-1's channel carrying samples that claim to be victim-1 (twice) and ghost-1.
        foreach (var forged in new[] { "victim-1", "victim-1", "ghost-1" })
            await fixture.PublishAsync(SampleJson.Serialize(RelayFixture.Slow(forged, load1: 66.6)), channelHost: "honest-1");
        // Wait for the three drops, then check nothing more came of them.
        await Wait.UntilAsync(() => Interlocked.Read(ref counted) >= 3, TimeSpan.FromSeconds(30), "the relay dropped the three forged samples");
        await fixture.WaitUntilRelayingAsync("after-1");

        var hosts = await fixture.App.Http.GetStringAsync("/api/hosts");
        Assert.DoesNotContain("victim-1", hosts, StringComparison.Ordinal);
        Assert.DoesNotContain("ghost-1", hosts, StringComparison.Ordinal);
        Assert.Equal(3, Interlocked.Read(ref counted));
        var logged = fixture.Logs.WithEventId(4014).ToList();
        Assert.Single(logged, e => e.Message.Contains("samples channel of honest-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_one_hosts_credential_every_attempt_beyond_its_own_report_is_refused_and_the_board_is_unchanged()
    {
        await fixture.WaitUntilRelayingAsync("victim-2");
        var before = await fixture.App.Http.GetStringAsync("/api/hosts");
        var keyRing = await fixture.Database.ListLengthAsync(fixture.Names.DataProtectionKeys);

        // mallory-2's own credential, in a client of its choosing (admin commands allowed on the client side).
        var options = ConfigurationOptions.Parse(await fixture.HostConnectionStringAsync("mallory-2"));
        options.AllowAdmin = true;
        await using var mallory = await ConnectionMultiplexer.ConnectAsync(options);
        var db = mallory.GetDatabase();
        var server = mallory.GetServer(mallory.GetEndPoints()[0]);
        var forged = SampleJson.Serialize(RelayFixture.Slow("victim-2", load1: 99.99));
        foreach (var (what, attempt) in new (string, Func<Task>)[]
        {
            ("publish on another host's channel", () => db.PublishAsync(RedisChannel.Literal(fixture.Names.SamplesChannel("victim-2")), forged)),
            ("publish on the backplane", () => db.PublishAsync(RedisChannel.Literal("loadcluster:LoadCluster.Turbo.TurboStreamsHub:all"), "x")),
            ("publish on the sign-out channel", () => db.PublishAsync(RedisChannel.Literal("loadcluster:signout"), "0123456789abcdef0123456789abcdef")),
            ("read the key ring", () => db.ListRangeAsync(fixture.Names.DataProtectionKeys)),
            ("write another host's keys", () => db.StringSetAsync(fixture.Names.Latest("victim-2"), forged)),
            ("write the hosts index", () => db.SortedSetAddAsync(fixture.Names.Hosts, "mallory-2", 1)),
            ("FLUSHALL", () => server.FlushAllDatabasesAsync()),
            ("CONFIG SET", () => server.ConfigSetAsync("maxmemory", "1")),
            ("SHUTDOWN", () => server.ExecuteAsync("SHUTDOWN", "NOSAVE")),
            ("KEYS", () => server.ExecuteAsync("KEYS", "*")),
            ("SUBSCRIBE", () => mallory.GetSubscriber().SubscribeAsync(RedisChannel.Literal(fixture.Names.SamplesChannel("mallory-2")))),
        })
        {
            var refused = await Assert.ThrowsAnyAsync<RedisException>(attempt);
            Assert.True(refused.Message.Contains("NOPERM", StringComparison.Ordinal), $"{what}: {refused.Message}");
        }
        // Its own report goes through.
        await db.PublishAsync(RedisChannel.Literal(fixture.Names.SamplesChannel("mallory-2")), SampleJson.Serialize(RelayFixture.Slow("mallory-2", load1: 1.23)));
        await fixture.WaitUntilRelayingAsync("mallory-2");

        var after = await fixture.App.Http.GetStringAsync("/api/hosts");
        Assert.DoesNotContain("99.99", after, StringComparison.Ordinal);
        Assert.Equal(Between(before, "victim-2"), Between(after, "victim-2"));
        Assert.Equal(keyRing, await fixture.Database.ListLengthAsync(fixture.Names.DataProtectionKeys));
        Assert.True(await fixture.Database.PingAsync() > TimeSpan.Zero); // still up, nothing flushed
    }

    // The victim's entry in /api/hosts (its sample), which must not move.
    private static string Between(string json, string host)
    {
        var start = json.IndexOf($"\"host\":\"{host}\"", StringComparison.Ordinal);
        return json[start..json.IndexOf('}', json.IndexOf("\"sample\"", start, StringComparison.Ordinal))];
    }
}
