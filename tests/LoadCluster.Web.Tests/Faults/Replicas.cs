using LoadCluster.Turbo;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Web.Tests.Backplane;

/// <summary>
/// Web replicas as a cluster runs them: the real app on real Kestrel, each its own replica name,
/// all on one Redis (so the official backplane joins them), with test users.
/// </summary>
internal sealed class Replicas : IAsyncDisposable
{
    private readonly List<WebApp> _apps;

    private Replicas(List<WebApp> apps) => _apps = apps;

    public WebApp this[int index] => _apps[index];

    public int Count => _apps.Count;

    public static async Task<Replicas> StartAsync(string redis, int count, string name)
    {
        var apps = new List<WebApp>();
        try
        {
            for (var i = 1; i <= count; i++)
                apps.Add(await WebApp.StartAsync(redis, $"{name}-{i}", configure: builder => TestUsers.AddTo(builder.Services)));
        }
        catch
        {
            foreach (var app in apps) await app.DisposeAsync();
            throw;
        }
        return new Replicas(apps);
    }

    /// <summary>A SignalR connection to one replica's hub, as <paramref name="user"/> (null: anonymous), settled.</summary>
    public async Task<SignalRJsonClient> ConnectAsync(int replica, string? user = null)
    {
        var client = await SignalRJsonClient.ConnectAsync(_apps[replica].Hub, options =>
        {
            if (user is not null) options.SetRequestHeader(TestUsers.Header, user);
        });
        await SettleAsync(client, _apps[replica]);
        return client;
    }

    /// <summary>
    /// The client hears the handshake before the server has subscribed the connection's channels
    /// (all, its user's) in Redis; the server reads the client's first call only after that, so a
    /// call's answer means a push from any replica now reaches it.
    /// </summary>
    public static async Task SettleAsync(SignalRJsonClient client, WebApp app) =>
        await client.InvokeAsync("Unsubscribe", app.Services.GetRequiredService<ITurboStreamNameSigner>().Sign("test:settle"));

    /// <summary>A connection to <paramref name="replica"/> subscribed to <paramref name="stream"/>.</summary>
    public async Task<SignalRJsonClient> SubscribeAsync(int replica, string stream)
    {
        var client = await ConnectAsync(replica);
        await client.InvokeAsync("Subscribe", Sign(stream));
        return client;
    }

    /// <summary>Names are signed with the key every replica shares, so any replica's signer will do.</summary>
    public string Sign(string stream) => _apps[0].Services.GetRequiredService<ITurboStreamNameSigner>().Sign(stream);

    public ITurboPush Push(int replica) => _apps[replica].Services.GetRequiredService<ITurboPush>();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
    }
}
