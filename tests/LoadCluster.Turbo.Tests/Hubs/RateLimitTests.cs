using LoadCluster.Testing;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo.Tests.Hubs;

public sealed class RateLimitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_burst_of_calls_beyond_the_limit_gets_rate_limit_errors_logged_once()
    {
        var logs = new LogCollector();
        await using var app = await TurboTestApp.StartAsync(
            builder => builder.Logging.AddProvider(logs),
            settings: new Dictionary<string, string?> { ["Turbo:HubCallsPerSecond"] = "5" });
        await using var client = await app.ConnectAsync();
        var signed = app.Signer.Sign("hosts");

        // 40 calls at once against a burst of 10: most are refused, and the refusals are logged once.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 40).Select(_ => client.InvokeAsync("Subscribe", signed)).ToList();
        var refused = 0;
        foreach (var call in calls)
        {
            try { await call; }
            catch (HubErrorException error) when (error.Message.Contains("rate limit:", StringComparison.Ordinal)) { refused++; }
        }

        var seconds = (int)started.Elapsed.TotalSeconds;
        Assert.InRange(refused, 20, 30);
        var logged = logs.WithEventId(22).ToList();
        Assert.InRange(logged.Count, 1, 1 + seconds); // at most once a second, however many refusals
        Assert.All(logged, e => Assert.DoesNotContain(signed, e.Message, StringComparison.Ordinal)); // no client text
    }

    [Fact]
    public async Task Calls_at_a_normal_pace_are_never_refused()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:HubCallsPerSecond"] = "5" });
        await using var client = await app.ConnectAsync();

        // A page subscribing to a few streams at once (within the burst), then 4 calls a second for 3 s.
        for (var i = 0; i < 8; i++) await client.InvokeAsync("Subscribe", app.Signer.Sign($"s{i}"));
        for (var i = 0; i < 12; i++)
        {
            await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_refused_connection_is_served_again_once_the_bucket_refills()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:HubCallsPerSecond"] = "5" });
        await using var client = await app.ConnectAsync();
        var signed = app.Signer.Sign("hosts");
        for (var i = 0; i < 10; i++) await client.InvokeAsync("Subscribe", signed);
        await Assert.ThrowsAsync<HubErrorException>(() => Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.InvokeAsync("Subscribe", signed))));

        await Task.Delay(TimeSpan.FromSeconds(1));
        await client.InvokeAsync("Subscribe", signed);
    }

    [Fact]
    public async Task Rate_limit_state_returns_to_baseline_after_disconnect()
    {
        await using var app = await TurboTestApp.StartAsync();
        var limiter = app.Services.GetRequiredService<HubCallRateLimiter>();

        for (var round = 0; round < 3; round++)
        {
            // Aborted connections of the round before go away when the server notices; start from none.
            await Eventually.TrueAsync(() => limiter.ConnectionCount == 0, Wait);
            var clients = new List<SignalRJsonClient>();
            for (var i = 0; i < 10; i++)
            {
                var client = await app.ConnectAsync();
                await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
                clients.Add(client);
            }
            Assert.Equal(10, limiter.ConnectionCount);
            for (var i = 0; i < clients.Count; i++)
            {
                if (i % 2 == 0) clients[i].Abort(); // half vanish without a close handshake
                await clients[i].DisposeAsync();
            }
        }

        await Eventually.TrueAsync(() => limiter.ConnectionCount == 0, Wait);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task A_non_positive_rate_is_refused_with_the_setting_named(string rate)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:HubCallsPerSecond"] = rate }));
        Assert.Contains("Turbo:HubCallsPerSecond", error.Message, StringComparison.Ordinal);
    }
}
