using System.Net.WebSockets;
using LoadCluster.Testing;
using LoadCluster.Turbo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>
/// A real Kestrel app on 127.0.0.1 with the Turbo library wired as an application would: AddTurbo,
/// header-based test authentication (<see cref="TestUsers"/>), MapTurbo.
/// </summary>
internal sealed class TurboTestApp : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghij";

    private TurboTestApp(WebApplication app, Uri baseUri)
    {
        App = app;
        BaseUri = baseUri;
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public IServiceProvider Services => App.Services;

    public ITurboPush Push => Services.GetRequiredService<ITurboPush>();

    public ITurboStreamNameSigner Signer => Services.GetRequiredService<ITurboStreamNameSigner>();

    /// <summary>The stream endpoint (<c>http://…/turbo-stream</c>; the socket client makes it ws).</summary>
    public Uri Endpoint => new(BaseUri, "/turbo-stream");

    public static async Task<TurboTestApp> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        string environment = "Development",
        IDictionary<string, string?>? settings = null,
        bool withSigningKey = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>();
        if (withSigningKey) config["Turbo:SigningKey"] = SigningKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        TestUsers.AddTo(builder.Services);
        builder.Services.AddTurbo();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        try
        {
            app.UseAuthentication();
            configureApp?.Invoke(app);
            app.MapTurbo();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new TurboTestApp(app, app.BoundAddress());
    }

    /// <summary>
    /// Opens a page's socket as Turbo's element does: to <paramref name="stream"/> (signed here), or
    /// without one the page's own connection; as <paramref name="user"/> (null: anonymous), with an
    /// Origin header if given. The relay behind it may still be joining the bus: see <see cref="SettleAsync"/>.
    /// </summary>
    public Task<TurboSocketClient> ConnectAsync(string? stream = null, string? user = null, string? origin = null) =>
        TurboSocketClient.ConnectAsync(Endpoint, stream is null ? null : Signer.Sign(stream), options => Headers(options, user, origin), stream ?? $"page of {user ?? "anonymous"}");

    public Task<System.Net.HttpStatusCode> RefusedAsync(string? signedStream, string? origin = null) =>
        TurboSocketClient.RefusedAsync(Endpoint, signedStream, options => Headers(options, null, origin));

    internal TurboRelays Relays => Services.GetRequiredService<TurboRelays>();

    public static void Headers(ClientWebSocketOptions options, string? user, string? origin)
    {
        if (user is not null) options.SetRequestHeader(TestUsers.Header, user);
        if (origin is not null) options.SetRequestHeader("Origin", origin);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await App.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await App.DisposeAsync();
    }
}
