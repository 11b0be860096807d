using System.Net;
using System.Net.WebSockets;
using LoadCluster.Turbo.Tests.Infrastructure;

namespace LoadCluster.Turbo.Tests.Hubs;

public sealed class OriginTests
{
    [Fact]
    public async Task A_WebSocket_upgrade_from_another_origin_is_refused_with_403()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{app.BaseUri.Authority}/turbo-stream"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("https://127.0.0.1")] // same host, other scheme and port
    public async Task Look_alike_and_opaque_origins_are_refused(string origin)
    {
        await using var app = await TurboTestApp.StartAsync();
        await Assert.ThrowsAsync<WebSocketException>(() => app.ConnectAsync(origin: origin));
    }

    [Fact]
    public async Task The_app_s_own_origin_and_requests_without_origin_are_accepted()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var sameOrigin = await app.ConnectAsync(origin: app.BaseUri.GetLeftPart(UriPartial.Authority));
        await using var noOrigin = await app.ConnectAsync();
        await sameOrigin.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await noOrigin.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
    }

    [Fact]
    public async Task An_origin_on_the_allow_list_is_accepted()
    {
        await using var app = await TurboTestApp.StartAsync(settings: new Dictionary<string, string?> { ["Turbo:AllowedOrigins:0"] = "https://board.example.com" });
        await using var client = await app.ConnectAsync(origin: "https://BOARD.example.com");
        await client.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await Assert.ThrowsAsync<WebSocketException>(() => app.ConnectAsync(origin: "https://other.example.com"));
    }

    [Fact]
    public async Task The_negotiate_endpoint_refuses_another_origin_too()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/turbo-stream/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
