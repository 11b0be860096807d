using System.Net;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Sockets;

public sealed class SocketEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_signed_stream_is_served_over_a_plain_WebSocket_with_state_first_then_pushes()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        await using var socket = await TurboSocketClient.ConnectAsync(app.BaseUri, app.Signer.Sign("hosts"));

        Assert.Equal(FixedStreamState.Markup("hosts"), await socket.NextAsync(Wait));
        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        Assert.Equal(1, app.Push.LocalConnectionCount);

        await app.Push.ToStreamsAsync("hosts", Multiline);
        Assert.Equal(Multiline, await socket.NextAsync(Wait));
        await app.Push.ToLocalSubscribersAsync("hosts", Refresh);
        Assert.Equal(Refresh, await socket.NextAsync(Wait));
        await app.Push.ToAllAsync(Remove);
        Assert.Equal(Remove, await socket.NextAsync(Wait));
        await app.Push.ToStreamsAsync("other", Refresh);
        Assert.Null(await socket.NextAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Sockets_of_one_stream_each_get_a_push_once_and_leave_nothing_behind()
    {
        await using var app = await TurboTestApp.StartAsync();
        var sockets = app.Services.GetRequiredService<TurboSockets>();
        var clients = new List<TurboSocketClient>();
        for (var i = 0; i < 3; i++) clients.Add(await TurboSocketClient.ConnectAsync(app.BaseUri, app.Signer.Sign("hosts"), user: i == 2 ? "alice" : null));
        await Eventually.TrueAsync(() => app.Push.LocalSubscriberCount("hosts") == 3, Wait);
        Assert.Equal(2, sockets.RelayCount); // one per (stream, user): anonymous and alice

        await app.Push.ToStreamsAsync("hosts", Refresh);
        await app.Push.ToUsersAsync("alice", Remove);
        foreach (var client in clients) Assert.Equal(Refresh, await client.NextAsync(Wait));
        Assert.Equal(Remove, await clients[2].NextAsync(Wait));
        foreach (var client in clients) Assert.Null(await client.NextAsync(TimeSpan.FromSeconds(0.5)));

        foreach (var client in clients) await client.DisposeAsync();
        await Eventually.TrueAsync(() => app.Push.LocalConnectionCount == 0 && sockets.RelayCount == 0, Wait);
    }

    [Theory]
    [InlineData("hosts")]
    [InlineData("aG9zdHM.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_forged_or_unsigned_name_gets_403_and_no_socket(string name)
    {
        await using var app = await TurboTestApp.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await TurboSocketClient.RefusedAsync(app.BaseUri, name));
        Assert.Equal(0, app.Push.LocalConnectionCount);
    }

    [Fact]
    public async Task An_upgrade_from_another_origin_gets_403()
    {
        await using var app = await TurboTestApp.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await TurboSocketClient.RefusedAsync(app.BaseUri, app.Signer.Sign("hosts"), origin: "https://evil.example"));
    }

    [Fact]
    public async Task A_plain_request_is_told_the_endpoint_takes_upgrades_only()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };

        using var response = await http.GetAsync("/turbo-stream/socket?stream=" + Uri.EscapeDataString(app.Signer.Sign("hosts")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private const string Multiline = "<turbo-stream action=\"append\" target=\"log\"><template><pre>one\ntwo</pre></template></turbo-stream>";
    private const string Refresh = "<turbo-stream action=\"refresh\"></turbo-stream>";
    private const string Remove = "<turbo-stream action=\"remove\" target=\"x\"></turbo-stream>";
}
