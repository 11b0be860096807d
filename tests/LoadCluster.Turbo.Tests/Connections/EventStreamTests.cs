using System.Net;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Connections;

/// <summary>The same endpoint answering a plain GET with Server-Sent Events, as Turbo's element opens an EventSource.</summary>
public sealed class EventStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_signed_stream_is_served_as_server_sent_events_with_the_state_first_then_its_pushes()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        await using var events = await EventStreamClient.OpenAsync(http, Path("hosts", app));

        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal("text/event-stream", events.ContentType);
        await events.ConnectedAsync(Patience);
        Assert.Equal(FixedStreamState.Markup("hosts"), await events.NextAsync(Patience));
        await app.Push.ToStreamsAsync("hosts", Multiline);
        await app.Push.ToAllAsync(Refresh);
        await app.Push.ToLocalSubscribersAsync("hosts", Fence);

        Assert.Equal(Multiline, await events.NextAsync(Patience)); // its lines joined with "\n", as EventSource does
        Assert.Equal(Fence, await events.NextAsync(Patience));
    }

    [Fact]
    public async Task A_page_event_stream_gets_its_user_s_pushes_and_not_others()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        await using var alice = await EventStreamClient.OpenAsync(http, "/turbo-stream", r => r.Headers.Add(TestUsers.Header, "alice"));
        await using var bob = await EventStreamClient.OpenAsync(http, "/turbo-stream", r => r.Headers.Add(TestUsers.Header, "bob"));
        await alice.ConnectedAsync(Patience);
        await bob.ConnectedAsync(Patience);

        await app.Push.ToUsersAsync("alice", Multiline);
        await app.Push.ToAllAsync(Fence);

        Assert.Equal(Multiline, await alice.NextAsync(Patience));
        Assert.Equal(Fence, await alice.NextAsync(Patience));
        Assert.Equal(Fence, await bob.NextAsync(Patience));
    }

    [Fact]
    public async Task An_idle_event_stream_gets_heartbeat_events_without_data()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:Heartbeat"] = "00:00:00.200" });
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        await using var events = await EventStreamClient.OpenAsync(http, Path("hosts", app));

        await Wait.UntilAsync(() => events.Count("heartbeat") >= 2, Patience, "two heartbeats came");
        Assert.Equal(1, events.Count("connected"));
        Assert.False(events.Received.TryRead(out _));
    }

    [Fact]
    public async Task The_connection_is_released_when_the_client_goes_away()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        await using (var events = await EventStreamClient.OpenAsync(http, Path("hosts", app)))
        {
            await events.ConnectedAsync(Patience);
            Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        }

        await Wait.UntilAsync(() => app.Push.LocalConnectionCount == 0 && app.Relays.RelayCount == 0, Patience, "the connection and its relay gone");
    }

    [Fact]
    public async Task A_forged_name_or_another_origin_gets_403_so_the_browser_stops()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };

        await using var forged = await EventStreamClient.OpenAsync(http, "/turbo-stream?stream=aG9zdHM.AAAA");
        await using var otherOrigin = await EventStreamClient.OpenAsync(http, Path("hosts", app), r => r.Headers.Add("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherOrigin.StatusCode);
        Assert.Equal(0, app.Push.LocalConnectionCount);
    }

    private static string Path(string stream, TurboTestApp app) => "/turbo-stream?stream=" + Uri.EscapeDataString(app.Signer.Sign(stream));

    private const string Multiline = "<turbo-stream action=\"append\" target=\"log\"><template><pre>one\ntwo</pre></template></turbo-stream>";
    private const string Refresh = "<turbo-stream action=\"refresh\"></turbo-stream>";
    private const string Fence = "<turbo-stream action=\"remove\" target=\"fence\"></turbo-stream>";
}
