using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Faults;

/// <summary>
/// Web replicas as a cluster runs them: the real app on real Kestrel, each its own replica name,
/// all on one Redis.
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
                apps.Add(await WebApp.StartAsync(redis, $"{name}-{i}"));
        }
        catch
        {
            foreach (var app in apps) await app.DisposeAsync();
            throw;
        }
        return new Replicas(apps);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
    }
}
