using System.Net;
using System.Net.WebSockets;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Connections;

/// <summary>
/// The stream endpoint over a WebSocket, as Turbo's element opens it, on one node: what each kind of
/// connection gets, exactly (a fence pushed last is read up to: a connection's messages come in order).
/// </summary>
public sealed class WebSocketEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_stream_connection_gets_the_state_first_then_its_stream_s_pushes_and_nothing_else()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        await using var socket = await app.ConnectAsync("hosts", user: "alice");

        Assert.Equal(FixedStreamState.Markup("hosts"), await socket.NextAsync(Patience));
        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        await app.Push.ToStreamsAsync("hosts", Multiline);
        await app.Push.ToLocalSubscribersAsync("hosts", Refresh);
        await app.Push.ToStreamsAsync("other", Remove);
        await app.Push.ToAllAsync(Remove);
        await app.Push.ToUsersAsync("alice", Remove);
        await app.Push.ToStreamsAsync("hosts", Fence);

        Assert.Equal([Multiline, Refresh, Fence], await socket.ReadUntilAsync(m => m == Fence, Patience));
    }

    [Fact]
    public async Task A_page_connection_gets_pushes_to_all_and_to_its_user_and_no_stream_s()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var alice = await app.ConnectAsync(user: "alice");
        await using var anonymous = await app.ConnectAsync();
        await using var bob = await app.ConnectAsync(user: "bob");
        await TurboSocketClient.SettleAsync(probe => app.Push.ToAllAsync(probe), alice, anonymous, bob);

        await app.Push.ToAllAsync(Refresh);
        await app.Push.ToUsersAsync("alice", Multiline);
        await app.Push.ToStreamsAsync("hosts", Remove);
        await app.Push.ToAllAsync(Fence);

        Assert.Equal([Refresh, Multiline, Fence], await alice.ReadUntilAsync(m => m == Fence, Patience));
        Assert.Equal([Refresh, Fence], await anonymous.ReadUntilAsync(m => m == Fence, Patience));
        Assert.Equal([Refresh, Fence], await bob.ReadUntilAsync(m => m == Fence, Patience));
    }

    [Fact]
    public async Task A_user_id_comes_from_the_app_s_IUserIdProvider()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddSingleton<IUserIdProvider, UpperCaseUserIdProvider>());
        await using var alice = await app.ConnectAsync(user: "alice");
        await TurboSocketClient.SettleAsync(probe => app.Push.ToAllAsync(probe), alice);

        await app.Push.ToUsersAsync("alice", Refresh);
        await app.Push.ToUsersAsync("ALICE", Multiline);
        await app.Push.ToAllAsync(Fence);

        Assert.Equal([Multiline, Fence], await alice.ReadUntilAsync(m => m == Fence, Patience));
    }

    [Fact]
    public async Task Connections_of_a_stream_share_one_relay_and_leave_nothing_behind()
    {
        await using var app = await TurboTestApp.StartAsync();
        for (var round = 0; round < 3; round++)
        {
            var clients = new List<TurboSocketClient>();
            for (var i = 0; i < 4; i++) clients.Add(await app.ConnectAsync("hosts", user: i % 2 == 0 ? "alice" : null));
            clients.Add(await app.ConnectAsync(user: "alice"));
            clients.Add(await app.ConnectAsync(user: "alice"));
            clients.Add(await app.ConnectAsync());
            await Wait.UntilAsync(() => app.Push.LocalConnectionCount == 7, Patience, "seven connections held");

            Assert.Equal(4, app.Push.LocalSubscriberCount("hosts"));
            Assert.Equal(3, app.Relays.RelayCount); // "hosts", alice's pages, anonymous pages
            for (var i = 0; i < clients.Count; i++)
            {
                if (i % 2 == 0) clients[i].Abort(); // half vanish without a close handshake
                await clients[i].DisposeAsync();
            }
            await Wait.UntilAsync(() => app.Push.LocalConnectionCount == 0 && app.Relays.RelayCount == 0, Patience, "every connection and relay gone");
        }
    }

    [Theory]
    [InlineData("hosts")]
    [InlineData("aG9zdHM.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public async Task A_forged_unsigned_or_empty_name_gets_403_and_no_connection(string name)
    {
        await using var app = await TurboTestApp.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await app.RefusedAsync(name));
        Assert.Equal(0, app.Push.LocalConnectionCount);
    }

    [Fact]
    public async Task A_name_signed_by_another_application_is_refused()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var other = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:SigningKey"] = "another-application-signing-key-0123456789" });

        Assert.Equal(HttpStatusCode.Forbidden, await app.RefusedAsync(other.Signer.Sign("hosts")));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("https://127.0.0.1")] // same host, other scheme and port
    public async Task Another_look_alike_or_opaque_origin_gets_403(string origin)
    {
        await using var app = await TurboTestApp.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await app.RefusedAsync(app.Signer.Sign("hosts"), origin));
        Assert.Equal(HttpStatusCode.Forbidden, await app.RefusedAsync(null, origin));
    }

    [Fact]
    public async Task The_app_s_own_origin_an_allowed_one_and_none_at_all_are_accepted()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:AllowedOrigins:0"] = "https://board.example.com" });

        await using var sameOrigin = await app.ConnectAsync("hosts", origin: app.BaseUri.GetLeftPart(UriPartial.Authority));
        await using var allowed = await app.ConnectAsync("hosts", origin: "https://BOARD.example.com");
        await using var noOrigin = await app.ConnectAsync("hosts");
        Assert.Equal(HttpStatusCode.Forbidden, await app.RefusedAsync(app.Signer.Sign("hosts"), "https://other.example.com"));
    }

    [Fact]
    public async Task A_message_from_the_browser_closes_the_socket_with_1003()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{app.BaseUri.Authority}/turbo-stream?stream={Uri.EscapeDataString(app.Signer.Sign("hosts"))}"), CancellationToken.None);

        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var received = await socket.ReceiveAsync(new byte[256], new CancellationTokenSource(Patience).Token);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, socket.CloseStatus);
    }

    [Fact]
    public async Task When_the_app_stops_its_sockets_are_closed_as_going_away_so_pages_reconnect_elsewhere()
    {
        var app = await TurboTestApp.StartAsync();
        await using var socket = await app.ConnectAsync("hosts");
        await TurboSocketClient.SettleAsync(probe => app.Push.ToStreamsAsync("hosts", probe), socket);

        await app.DisposeAsync();

        await socket.Closed.WaitAsync(Patience);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
    }

    [Fact]
    public async Task The_route_is_configurable_and_can_be_turned_off()
    {
        await using (var moved = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:Route"] = "/live" }))
        await using (var socket = await TurboSocketClient.ConnectAsync(new Uri(moved.BaseUri, "/live"), moved.Signer.Sign("hosts")))
        {
            await TurboSocketClient.SettleAsync(probe => moved.Push.ToStreamsAsync("hosts", probe), socket);
        }

        await using var off = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:Route"] = "" });
        Assert.Equal(HttpStatusCode.NotFound, await off.RefusedAsync(off.Signer.Sign("hosts")));
    }

    [Fact]
    public async Task A_state_is_rendered_alone_not_in_the_long_lived_request()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<RenderedStreamState>());
        await using var socket = await app.ConnectAsync("hosts");

        Assert.Equal("rendered alone", await socket.NextAsync(Patience));
    }

    [Fact]
    public async Task Bad_push_arguments_are_refused_with_a_clear_message_and_nobody_listening_is_not_an_error()
    {
        await using var app = await TurboTestApp.StartAsync();

        Assert.Contains("stream name", (await Assert.ThrowsAsync<ArgumentException>(() => app.Push.ToStreamsAsync(["hosts", ""], Refresh))).Message, StringComparison.Ordinal);
        Assert.Contains("library's own", (await Assert.ThrowsAsync<ArgumentException>(() => app.Push.ToStreamsAsync("turbo:all", Refresh))).Message, StringComparison.Ordinal);
        Assert.Contains("library's own", Assert.Throws<ArgumentException>(() => app.Signer.Sign("turbo:all")).Message, StringComparison.Ordinal);
        Assert.Contains("user id", (await Assert.ThrowsAsync<ArgumentException>(() => app.Push.ToUsersAsync(["", "bob"], Refresh))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => app.Push.ToAllAsync(null!));
        await app.Push.ToUsersAsync(["nobody", "no-one-else"], Refresh);
        await app.Push.ToStreamsAsync("no-subscribers", Refresh);
        await app.Push.ToLocalSubscribersAsync("no-subscribers", Refresh);
    }

    private const string Multiline = "<turbo-stream action=\"append\" target=\"log\"><template><pre>one\ntwo ünï</pre></template></turbo-stream>";
    private const string Refresh = "<turbo-stream action=\"refresh\"></turbo-stream>";
    private const string Remove = "<turbo-stream action=\"remove\" target=\"x\"></turbo-stream>";
    private const string Fence = "<turbo-stream action=\"remove\" target=\"fence\"></turbo-stream>";
}
