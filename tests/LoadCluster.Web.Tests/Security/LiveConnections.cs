using System.Net;
using LoadCluster.Turbo;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Web.Tests.Security;

/// <summary>Opens and holds long-lived connections to one replica (sample streams, page sockets), each as it says.</summary>
internal sealed class LiveConnections(WebApp app) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _open = [];
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>GET /api/samples/stream; the response is held open when it is a 200 and returned either way.</summary>
    public async Task<HttpResponseMessage> SampleStreamAsync(string? user = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/samples/stream");
        if (user is not null) request.Headers.Add(TestUsers.Header, user);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.OK) _open.Add(new Held(response));
        return response;
    }

    /// <summary>A page's socket on the overview's stream, as <paramref name="user"/> (null: anonymous); throws when refused.</summary>
    public async Task<TurboSocketClient> SocketAsync(string? user = null)
    {
        var signed = app.Services.GetRequiredService<ITurboStreamNameSigner>().Sign("hosts");
        var client = await TurboSocketClient.ConnectAsync(app.Endpoint, signed, options =>
        {
            if (user is not null) options.SetRequestHeader(TestUsers.Header, user);
        });
        _open.Add(client);
        return client;
    }

    /// <summary>Closes one of the held connections (the client goes away, as a closed tab).</summary>
    public async Task CloseAsync(object connection)
    {
        var held = _open.Single(o => ReferenceEquals(o, connection) || (o is Held h && ReferenceEquals(h.Response, connection)));
        _open.Remove(held);
        await held.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var open in _open) await open.DisposeAsync();
        _http.Dispose();
    }

    private sealed class Held(HttpResponseMessage response) : IAsyncDisposable
    {
        public HttpResponseMessage Response => response;

        public ValueTask DisposeAsync()
        {
            response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
