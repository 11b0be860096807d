using System.Net;
using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Benchmarks;

/// <summary>A Kestrel server on 127.0.0.1 with <see cref="BenchHub"/>, on the official Redis backplane or the in-memory default.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri hubUri)
    {
        _app = app;
        HubUri = hubUri;
    }

    public Uri HubUri { get; }

    public IHubContext<BenchHub> Hub => _app.Services.GetRequiredService<IHubContext<BenchHub>>();

    /// <param name="redis">Redis configuration for the backplane, or null for SignalR's in-memory manager.</param>
    public static async Task<BenchServer> StartAsync(string? redis)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var signalR = builder.Services.AddSignalR();
        if (redis is not null) signalR.AddStackExchangeRedis(redis);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BenchHub>("/hub");
        await app.StartAsync();
        return new BenchServer(app, new Uri(app.BoundAddress(), "hub"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
