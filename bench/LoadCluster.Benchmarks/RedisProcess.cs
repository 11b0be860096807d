using LoadCluster.Testing;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// A redis-server of a benchmark's own, on a free loopback port with no persistence: a process
/// here (not a container), so nothing stands between it and the servers, and its CPU time is read
/// from /proc like every other process's.
/// </summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _dir;

    private RedisProcess(ChildProcess process, int port, string dir)
    {
        _process = process;
        _dir = dir;
        ConnectionString = $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";
    }

    public int Id => _process.Id;

    public string ConnectionString { get; }

    public static async Task<RedisProcess> StartAsync()
    {
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("loadcluster-bench-redis-").FullName;
        var executable = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var process = ChildProcess.Start(executable,
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
            new Dictionary<string, string>());
        var redis = new RedisProcess(process, port, dir);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            if (probe.IsConnected) return redis;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server did not answer on port {port}: run 'apt-get install -y redis-server'");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
