using System.Net;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.EventStream;

public sealed class EventStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_signed_stream_is_served_as_event_stream_with_state_first_then_pushes()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<FixedStreamState>());
        using var http = Client(app);
        using var response = await OpenAsync(http, app.Signer.Sign("hosts"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(FixedStreamState.Markup("hosts"), await events.NextEventAsync(Wait));

        var multiLine = "<turbo-stream action=\"append\" target=\"log\"><template><pre>one\ntwo\r\nthree</pre></template></turbo-stream>";
        await app.Push.ToStreamsAsync("hosts", multiLine);
        Assert.Equal(multiLine.Replace("\r\n", "\n", StringComparison.Ordinal), await events.NextEventAsync(Wait));

        await app.Push.ToLocalSubscribersAsync("hosts", "<turbo-stream action=\"refresh\"></turbo-stream>");
        Assert.Equal("<turbo-stream action=\"refresh\"></turbo-stream>", await events.NextEventAsync(Wait));

        await app.Push.ToAllAsync("<turbo-stream action=\"remove\" target=\"x\"></turbo-stream>");
        Assert.Equal("<turbo-stream action=\"remove\" target=\"x\"></turbo-stream>", await events.NextEventAsync(Wait));
    }

    [Fact]
    public async Task A_state_rendered_for_an_event_stream_is_rendered_alone_not_in_the_long_lived_request()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddTurboStreamState<RenderedStreamState>());
        using var http = Client(app);
        using var response = await OpenAsync(http, app.Signer.Sign("hosts"));
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("rendered alone", await events.NextEventAsync(Wait));
    }

    [Fact]
    public async Task An_event_stream_user_gets_their_user_pushes_and_not_others()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = Client(app);
        using var alice = await OpenAsync(http, app.Signer.Sign("hosts"), user: "alice");
        using var aliceEvents = new EventStreamReader(await alice.Content.ReadAsStreamAsync());
        await aliceEvents.WaitForCommentAsync(Wait);

        await app.Push.ToUsersAsync("bob", "<turbo-stream action=\"refresh\" request-id=\"bob\"></turbo-stream>");
        await app.Push.ToUsersAsync("alice", "<turbo-stream action=\"refresh\" request-id=\"alice\"></turbo-stream>");

        Assert.Equal("<turbo-stream action=\"refresh\" request-id=\"alice\"></turbo-stream>", await aliceEvents.NextEventAsync(Wait));
    }

    [Theory]
    [InlineData("hosts")]
    [InlineData("aG9zdHM.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public async Task A_forged_or_unsigned_name_gets_403_and_no_stream(string name)
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = Client(app);
        using var response = await OpenAsync(http, name);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("signed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, app.Push.LocalConnectionCount);
    }

    [Fact]
    public async Task A_request_from_another_origin_gets_403()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = Client(app);
        using var response = await OpenAsync(http, app.Signer.Sign("hosts"), origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_connection_is_released_when_the_client_goes_away()
    {
        await using var app = await TurboTestApp.StartAsync();
        using (var http = Client(app))
        using (var response = await OpenAsync(http, app.Signer.Sign("hosts")))
        using (var events = new EventStreamReader(await response.Content.ReadAsStreamAsync()))
        {
            await events.WaitForCommentAsync(Wait);
            Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        }

        var local = app.Services.GetRequiredService<LocalSubscriptions>();
        await Eventually.TrueAsync(() => local.ConnectionCount == 0 && local.StreamCount == 0, Wait);
    }

    [Fact]
    public async Task The_event_stream_route_is_configurable_and_can_be_turned_off()
    {
        await using var off = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:EventStreamRoute"] = "" });
        using var http = Client(off);
        using var response = await OpenAsync(http, off.Signer.Sign("hosts"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_idle_event_stream_sends_heartbeat_comments()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:EventStreamHeartbeat"] = "00:00:00.200" });
        using var http = Client(app);
        using var response = await OpenAsync(http, app.Signer.Sign("hosts"));
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        await events.WaitForCommentAsync(Wait);
        Assert.Equal(": connected", events.Comments[0]);
        await events.WaitForCommentAsync(Wait, count: 3);
        Assert.Equal(": heartbeat", events.Comments[2]);
    }

    [Fact]
    public void Multi_line_markup_becomes_one_event_of_several_data_lines()
    {
        Assert.Equal("data: a\ndata: b\ndata: \ndata: c\n\n", EventStreamEndpoint.Format("a\r\nb\n\rc"));
        Assert.Equal("data: x\u2028y\n\n", EventStreamEndpoint.Format("x\u2028y"));
    }

    private static HttpClient Client(TurboTestApp app) => new() { BaseAddress = app.BaseUri, Timeout = Timeout.InfiniteTimeSpan };

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string signed, string? user = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/turbo-stream/events?stream=" + Uri.EscapeDataString(signed));
        request.Headers.Add("Accept", "text/event-stream");
        if (user is not null) request.Headers.Add(TestUsers.Header, user);
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var cts = new CancellationTokenSource(Wait);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
    }
}
