using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>
/// The Web app as Program.cs builds it, on real Kestrel at a free loopback port, in this process
/// (so a test can reach its services), against a real Redis.
/// </summary>
internal sealed class WebApp : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-of-at-least-32-characters!";

    private readonly WebApplication _app;

    private WebApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The stream endpoint the pages' sockets connect to.</summary>
    public Uri Endpoint => new(BaseAddress, "/turbo-stream");

    /// <summary>
    /// Renders <paramref name="path"/> and opens its stream's socket as the page's own
    /// <c>&lt;turbo-stream-source&gt;</c> would (the same signed name, at the same endpoint).
    /// Every board stream has a state: wait for it (<see cref="TurboSocketClient.NextAsync"/>) to know the socket joined.
    /// </summary>
    public async Task<TurboSocketClient> OpenPageAsync(string path, Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null)
    {
        var html = await Http.GetStringAsync(path);
        var signed = SignedStreamNames.FirstIn(html) ?? throw new InvalidOperationException($"{path} has no signed-stream-name");
        return await TurboSocketClient.ConnectAsync(Endpoint, signed, configure, path);
    }

    /// <param name="settings">Configuration on top of the test defaults.</param>
    /// <param name="configure">Runs after the app's own registrations (e.g. test authentication).</param>
    /// <param name="settings">Configuration on top of the defaults (sign-in, limits, a prefix).</param>
    public static async Task<WebApp> StartAsync(string redisConnectionString, string replica = "web-test", string environment = "Production",
        IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "LoadCluster.Web",
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["LoadCluster:Replica"] = replica,
            ["Turbo:SigningKey"] = SigningKey,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddLoadBoard();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapLoadBoard();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new WebApp(app, app.BoundAddress());
    }

    public static Task<WebApp> StartAsync(TestRedis redis, string replica = "web-test") => StartAsync(redis.ConnectionString, replica);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _app.StopAsync(cts.Token); }
        finally { await _app.DisposeAsync(); }
    }
}
