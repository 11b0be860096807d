using LoadCluster.Testing;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Hubs;

public sealed class HubSubscriptionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_subscriber_receives_pushes_to_its_stream_and_not_to_others()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var client = await app.ConnectAsync();
        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));

        await app.Push.ToStreamsAsync("elsewhere", TurboStream.Remove("x").ToString());
        await app.Push.ToStreamsAsync("hosts", TurboStream.Update("count", "3").ToString());

        var message = await client.NextAsync("turbo-stream", Wait);
        Assert.Equal("<turbo-stream action=\"update\" target=\"count\"><template>3</template></turbo-stream>", (string?)message.Arguments[0]);
        Assert.Empty(await client.DrainAsync(Quiet));
    }

    [Fact]
    public async Task A_push_to_several_streams_reaches_a_client_once_per_stream_it_listens_to()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var client = await app.ConnectAsync();
        await client.InvokeAsync("Subscribe", app.Signer.Sign("a"));
        await client.InvokeAsync("Subscribe", app.Signer.Sign("b"));

        await app.Push.ToStreamsAsync(["a", "b", "c"], "<turbo-stream action=\"refresh\"></turbo-stream>");

        await client.NextAsync("turbo-stream", Wait);
        await client.NextAsync("turbo-stream", Wait);
        Assert.Empty(await client.DrainAsync(Quiet));
    }

    [Theory]
    [InlineData("hosts")] // unsigned
    [InlineData("aG9zdHM.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // forged MAC
    [InlineData("")]
    public async Task A_forged_or_unsigned_name_gets_a_hub_error_and_no_data(string name)
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var client = await app.ConnectAsync();

        var error = await Assert.ThrowsAsync<HubErrorException>(() => client.InvokeAsync("Subscribe", name));
        Assert.Contains("not signed by this application", error.Message, StringComparison.Ordinal);

        await app.Push.ToStreamsAsync("hosts", TurboStream.Remove("x").ToString());
        Assert.Empty(await client.DrainAsync(Quiet));
        Assert.Equal(0, app.Push.LocalSubscriberCount("hosts"));
    }

    [Fact]
    public async Task A_name_signed_by_another_application_is_refused()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var other = await TurboTestApp.StartAsync(withSigningKey: false, settings: new Dictionary<string, string?> { ["Turbo:SigningKey"] = "a-different-key-a-different-key-1234567" });
        await using var client = await app.ConnectAsync();

        await Assert.ThrowsAsync<HubErrorException>(() => client.InvokeAsync("Subscribe", other.Signer.Sign("hosts")));
    }

    [Fact]
    public async Task The_current_state_is_sent_first_on_subscribe()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        await using var client = await app.ConnectAsync();

        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await app.Push.ToStreamsAsync("hosts", "<turbo-stream action=\"refresh\"></turbo-stream>");

        Assert.Equal(FixedStreamState.Markup("hosts"), (string?)(await client.NextAsync("turbo-stream", Wait)).Arguments[0]);
        Assert.Equal("<turbo-stream action=\"refresh\"></turbo-stream>", (string?)(await client.NextAsync("turbo-stream", Wait)).Arguments[0]);
    }

    [Fact]
    public async Task Subscribing_twice_sends_the_state_once_and_each_push_once()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        await using var client = await app.ConnectAsync();

        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await app.Push.ToStreamsAsync("hosts", "<turbo-stream action=\"refresh\"></turbo-stream>");

        var received = await client.DrainAsync(Quiet);
        Assert.Equal([FixedStreamState.Markup("hosts"), "<turbo-stream action=\"refresh\"></turbo-stream>"], received.Select(m => (string?)m.Arguments[0]));
        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
    }

    [Fact]
    public async Task A_state_rendered_during_subscribe_is_rendered_alone_not_in_the_long_lived_hub_request()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<RenderedStreamState>());
        await using var client = await app.ConnectAsync();

        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));

        Assert.Equal("rendered alone", (string?)(await client.NextAsync("turbo-stream", Wait)).Arguments[0]);
    }

    [Fact]
    public async Task Unsubscribe_stops_the_stream()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var client = await app.ConnectAsync();
        var signed = app.Signer.Sign("hosts");
        await client.InvokeAsync("Subscribe", signed);
        await client.InvokeAsync("Unsubscribe", signed);

        await app.Push.ToStreamsAsync("hosts", "<turbo-stream action=\"refresh\"></turbo-stream>");
        Assert.Empty(await client.DrainAsync(Quiet));
        Assert.Equal(0, app.Push.LocalSubscriberCount("hosts"));
    }

    [Fact]
    public async Task A_connection_cannot_subscribe_to_more_streams_than_the_cap()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:MaxSubscriptionsPerConnection"] = "3" });
        await using var client = await app.ConnectAsync();
        for (var i = 0; i < 3; i++) await client.InvokeAsync("Subscribe", app.Signer.Sign($"s{i}"));

        var error = await Assert.ThrowsAsync<HubErrorException>(() => client.InvokeAsync("Subscribe", app.Signer.Sign("s3")));
        Assert.Contains("3 streams", error.Message, StringComparison.Ordinal);
        await client.InvokeAsync("Subscribe", app.Signer.Sign("s0")); // already held: fine
    }

    [Fact]
    public async Task A_message_larger_than_the_hub_limit_closes_the_connection()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var client = await app.ConnectAsync();

        // The server closes the socket. The client sees that as a dropped connection (IOException), or
        // mid-send as a WebSocketException, or as a cancelled send once it has read the server's close.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.InvokeAsync("Subscribe", new string('a', 64 * 1024)));
        Assert.True(error is IOException or System.Net.WebSockets.WebSocketException or OperationCanceledException, error.ToString());
        await client.Closed;
    }

    [Fact]
    public async Task The_hub_route_is_configurable_and_can_be_turned_off()
    {
        await using (var moved = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:WebSocketRoute"] = "/live" }))
        await using (var client = await moved.ConnectAsync(hubUri: new Uri(moved.BaseUri, "/live")))
        {
            await client.InvokeAsync("Subscribe", moved.Signer.Sign("hosts"));
        }

        await using var off = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:WebSocketRoute"] = "" });
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => off.ConnectAsync());
    }

    [Fact]
    public async Task Local_subscriptions_return_to_baseline_after_churn()
    {
        await using var app = await TurboTestApp.StartAsync();
        var local = app.Services.GetRequiredService<LocalSubscriptions>();

        for (var round = 0; round < 5; round++)
        {
            // Aborted connections of the round before go away when the server notices; start from none.
            await Eventually.TrueAsync(() => local.ConnectionCount == 0, Wait);
            var clients = new List<SignalRJsonClient>();
            for (var i = 0; i < 10; i++)
            {
                var client = await app.ConnectAsync();
                await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
                await client.InvokeAsync("Subscribe", app.Signer.Sign($"host:{i}"));
                clients.Add(client);
            }
            Assert.Equal(10, app.Push.LocalSubscriberCount("hosts"));
            for (var i = 0; i < clients.Count; i++)
            {
                if (i % 2 == 0) clients[i].Abort(); // half vanish without a close handshake
                await clients[i].DisposeAsync();
            }
        }

        await Eventually.TrueAsync(() => local.ConnectionCount == 0 && local.StreamCount == 0, Wait);
        Assert.Equal(0, app.Push.LocalConnectionCount);
    }
}
