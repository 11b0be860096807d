using System.Net;
using LoadCluster.Web.Security;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// Caps on long-lived connections, on real Kestrel: per client (signed-in user, else address) 429,
/// per replica 503, both with Retry-After, and free again once a connection closes.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class ConnectionLimitTests(RelayFixture fixture)
{
    [Fact]
    public async Task The_connection_past_an_addresss_cap_gets_429_with_retry_after_across_sockets_and_streams_and_is_accepted_once_one_closes()
    {
        await using var app = await StartAsync("limits-address", ("LoadCluster:Limits:ConnectionsPerClient", "2"));
        await using var connections = new LiveConnections(app);
        var stream = await connections.SampleStreamAsync();
        var socket = await connections.SocketAsync();

        using var refused = await connections.SampleStreamAsync();
        var socketRefused = await Assert.ThrowsAnyAsync<Exception>(() => connections.SocketAsync());

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter!.Delta);
        Assert.Contains("at most 2", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("429", socketRefused.ToString(), StringComparison.Ordinal);

        await connections.CloseAsync(socket);
        var again = await Wait.ForAsync(() => connections.SampleStreamAsync(), r => r.StatusCode == HttpStatusCode.OK, "a connection accepted after one closed");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_user_is_capped_as_a_person_whatever_their_address_and_others_there_are_not()
    {
        await using var app = await StartAsync("limits-user", ("LoadCluster:Limits:ConnectionsPerClient", "2"));
        await using var connections = new LiveConnections(app);
        await connections.SocketAsync("alice");
        await connections.SampleStreamAsync("alice");

        using var aliceThird = await connections.SampleStreamAsync("alice");
        using var bobFirst = await connections.SampleStreamAsync("bob");
        using var anonymousFirst = await connections.SampleStreamAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, aliceThird.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bobFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymousFirst.StatusCode);
    }

    [Fact]
    public async Task A_forged_x_forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        await using var app = await StartAsync("limits-forged", ("LoadCluster:Limits:ConnectionsPerClient", "2"));
        await using var connections = new LiveConnections(app);
        await connections.SampleStreamAsync(forwardedFor: "203.0.113.1");
        await connections.SampleStreamAsync(forwardedFor: "203.0.113.2");

        using var third = await connections.SampleStreamAsync(forwardedFor: "203.0.113.3");

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task A_trusted_proxys_x_forwarded_for_names_the_client_counted()
    {
        await using var app = await StartAsync("limits-proxy", ("LoadCluster:Limits:ConnectionsPerClient", "2"), ("LoadCluster:TrustedProxies:0", "127.0.0.0/8"));
        await using var connections = new LiveConnections(app);
        await connections.SampleStreamAsync(forwardedFor: "203.0.113.1");
        await connections.SampleStreamAsync(forwardedFor: "203.0.113.1");

        using var otherClient = await connections.SampleStreamAsync(forwardedFor: "203.0.113.2");
        using var sameClient = await connections.SampleStreamAsync(forwardedFor: "203.0.113.1");

        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.StatusCode);
    }

    [Fact]
    public async Task A_replica_at_its_ceiling_answers_503_with_retry_after_and_takes_connections_again_once_one_closes()
    {
        await using var app = await StartAsync("limits-ceiling", ("LoadCluster:Limits:MaxConnections", "3"), ("LoadCluster:Limits:RetryAfter", "00:00:02"));
        await using var connections = new LiveConnections(app);
        var first = await connections.SampleStreamAsync("a");
        await connections.SocketAsync("b");
        await connections.SampleStreamAsync("c");

        using var full = await connections.SampleStreamAsync("d");
        using var page = await app.Http.GetAsync("/api/hosts");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), full.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await connections.CloseAsync(first);
        var again = await Wait.ForAsync(() => connections.SampleStreamAsync("d"), r => r.StatusCode == HttpStatusCode.OK, "a connection accepted after one closed");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public void The_default_ceiling_is_half_the_available_memory_over_the_measured_memory_per_connection()
    {
        const long OneGigabyte = 1L << 30;

        Assert.Equal((int)(OneGigabyte / 2 / ConnectionLimitOptions.MeasuredBytesPerConnection), ConnectionLimitOptions.DefaultMaxConnections(OneGigabyte));
        Assert.Equal(100, ConnectionLimitOptions.DefaultMaxConnections(1024));
    }

    private Task<WebApp> StartAsync(string replica, params (string Key, string Value)[] settings) =>
        WebApp.StartAsync(fixture.Redis.ConnectionString, replica, configure: builder => TestUsers.AddTo(builder.Services),
            settings: settings.ToDictionary(s => s.Key, s => (string?)s.Value));
}
