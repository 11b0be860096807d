using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LoadCluster.Testing;

namespace LoadCluster.SignalR.Redis.Tests.EndToEnd;

/// <summary>A real Kestrel server on 127.0.0.1 with <see cref="E2EHub"/> at /hub and the Redis backplane.</summary>
internal sealed class KestrelNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelNode(WebApplication app, Uri hubUri)
    {
        _app = app;
        HubUri = hubUri;
    }

    public Uri HubUri { get; }

    public static async Task<KestrelNode> StartAsync(string redis, string prefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IUserIdProvider, QueryStringUserIdProvider>();
        builder.Services.AddSignalR().AddRedisBackplane(o =>
        {
            o.Configuration = redis;
            o.ChannelPrefix = prefix;
        });
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<E2EHub>("/hub");
        await app.StartAsync();
        return new KestrelNode(app, new Uri(app.BoundAddress(), "hub"));
    }

    public Task<SignalRJsonClient> ConnectAsync(string? user = null) =>
        SignalRJsonClient.ConnectAsync(user is null ? HubUri : new Uri($"{HubUri}?user={Uri.EscapeDataString(user)}"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
