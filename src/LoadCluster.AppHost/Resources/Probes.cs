using System.Net;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.AppHost.Resources;

/// <summary>The health checks the launcher waits on, each answering "healthy right now?".</summary>
internal sealed class Probes(string redisConfiguration) : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(3),
    };
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<bool> RedisAsync(CancellationToken ct)
    {
        var redis = await ConnectAsync(ct);
        if (redis is null) return false;
        await redis.GetDatabase().PingAsync().WaitAsync(ct);
        return true;
    }

    /// <summary>Healthy once the collector has stored a sample taken after <paramref name="since"/>.</summary>
    public async Task<bool> CollectorAsync(RedisNames names, string host, DateTimeOffset since, CancellationToken ct)
    {
        var redis = await ConnectAsync(ct);
        if (redis is null) return false;
        var value = await redis.GetDatabase().StringGetAsync(names.Latest(host)).WaitAsync(ct);
        return value.HasValue
            && SampleJson.TryParse((byte[])value!, out var sample, out _)
            && sample.Time >= since;
    }

    public async Task<bool> HttpOkAsync(Uri url, CancellationToken ct)
    {
        using var response = await _http.GetAsync(url, ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    // Connects on first use and again after a failed attempt: our own redis-server may still be starting.
    private async Task<ConnectionMultiplexer?> ConnectAsync(CancellationToken ct)
    {
        await _connecting.WaitAsync(ct);
        try
        {
            if (_redis is { IsConnected: true }) return _redis;
            if (_redis is not null) return null; // connected once: it reconnects by itself
            var options = ConfigurationOptions.Parse(redisConfiguration);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 2000;
            var redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(ct);
            if (redis.IsConnected) return _redis = redis;
            await redis.CloseAsync(allowCommandsToComplete: false);
            redis.Dispose();
            return null;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_redis is not null)
        {
            await _redis.CloseAsync(allowCommandsToComplete: false);
            _redis.Dispose();
        }
        _connecting.Dispose();
    }
}
