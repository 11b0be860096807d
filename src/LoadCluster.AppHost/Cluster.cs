using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LoadCluster.AppHost.Resources;
using LoadCluster.Samples;

namespace LoadCluster.AppHost;

/// <summary>
/// A running LoadCluster: Redis (unless an existing one is given), one collector, N web replicas
/// and nginx in front, started in that order, each waited on until healthy. Disposing stops them
/// in reverse order and deletes the temp folders. Also used as a library by the end-to-end tests.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly List<ClusterResource> _resources = [];
    private readonly string _directory;
    private readonly Probes _probes;
    private readonly OutputSink _output;
    private readonly Watchdog _watchdog;

    private Cluster(ClusterOptions options, string directory, string redisConnectionString)
    {
        _directory = directory;
        _watchdog = Watchdog.Start(directory);
        _output = new OutputSink(options.Output, options.Colour);
        _probes = new Probes(redisConnectionString);
        RedisConnectionString = redisConnectionString;
        FrontDoor = new Uri($"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}/");
        CollectorHost = options.CollectorHost;
    }

    /// <summary>The URL users open: nginx in front of the web replicas.</summary>
    public Uri FrontDoor { get; }

    /// <summary>The Redis every child uses (StackExchange.Redis configuration string).</summary>
    public string RedisConnectionString { get; }

    /// <summary>The host name the collector reports.</summary>
    public string CollectorHost { get; }

    /// <summary>Our own redis-server; null when <see cref="ClusterOptions.RedisConnectionString"/> was given.</summary>
    public ClusterResource? Redis { get; private set; }

    public ClusterResource Collector { get; private set; } = null!;

    public IReadOnlyList<ClusterResource> WebReplicas { get; private set; } = [];

    public ClusterResource Nginx { get; private set; } = null!;

    /// <summary>Every resource, in start order.</summary>
    public IReadOnlyList<ClusterResource> Resources => _resources;

    /// <summary>Starts the cluster and returns once every resource is healthy; on failure stops what it started and throws <see cref="ClusterStartException"/>.</summary>
    public static async Task<Cluster> StartAsync(ClusterOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        EnsurePortFree(options.Port);
        var solution = options.SolutionDirectory ?? ProjectOutput.FindSolutionDirectory(AppContext.BaseDirectory);
        var collectorProject = ProjectOutput.Locate(solution, "LoadCluster.Collector");
        var webProject = ProjectOutput.Locate(solution, "LoadCluster.Web");
        var dotnet = Executables.Dotnet();
        var nginx = Executables.Find("nginx", "nginx");
        var redisServer = options.RedisConnectionString is null ? Executables.Find("redis-server", "redis-server") : null;
        var names = new RedisNames(Setting(options, "LoadCluster__Prefix") ?? RedisNames.DefaultPrefix);

        var directory = Directory.CreateTempSubdirectory("loadcluster-apphost-").FullName;
        var ports = FreePorts(options.Replicas + 1, options.Port);
        var redisConnection = options.RedisConnectionString ?? $"127.0.0.1:{ports[^1].ToString(CultureInfo.InvariantCulture)}";
        var cluster = new Cluster(options, directory, redisConnection);
        try
        {
            var since = DateTimeOffset.UtcNow.AddSeconds(-2);
            if (redisServer is not null)
            {
                var redisDir = Directory.CreateDirectory(Path.Combine(directory, "redis")).FullName;
                cluster.Redis = cluster.Add("redis", new Uri($"redis://{redisConnection}"), ChildSpecs.Redis(redisServer, ports[^1], redisDir), cluster._probes.RedisAsync);
            }
            cluster.Collector = cluster.Add("collector", null,
                ChildSpecs.Collector(dotnet, collectorProject, redisConnection, options.CollectorHost, options.Environment),
                t => cluster._probes.CollectorAsync(names, options.CollectorHost, since, t));

            var signingKey = Setting(options, "Turbo__SigningKey") ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var webs = new List<ClusterResource>();
            for (var i = 0; i < options.Replicas; i++)
            {
                var name = $"web-{(i + 1).ToString(CultureInfo.InvariantCulture)}";
                var url = new Uri($"http://127.0.0.1:{ports[i].ToString(CultureInfo.InvariantCulture)}/");
                webs.Add(cluster.Add(name, url,
                    ChildSpecs.Web(dotnet, webProject, redisConnection, name, ports[i], options.Port, signingKey, options.Environment),
                    t => cluster._probes.HttpOkAsync(new Uri(url, "health"), t)));
            }
            cluster.WebReplicas = webs;

            var nginxDir = Directory.CreateDirectory(Path.Combine(directory, "nginx")).FullName;
            // Workers run as an unprivileged user when we are root; they must reach the temp folders.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            await File.WriteAllTextAsync(Path.Combine(nginxDir, "nginx.conf"), NginxConfig.Build(nginxDir, options.Port, ports[..options.Replicas]), ct);
            cluster.Nginx = cluster.Add("nginx", cluster.FrontDoor, ChildSpecs.Nginx(nginx, nginxDir),
                t => cluster._probes.HttpOkAsync(new Uri(cluster.FrontDoor, "alive"), t));

            if (redisServer is null) await cluster.WaitForExternalRedisAsync(ct);
            foreach (var resource in cluster._resources)
            {
                cluster._output.Launcher($"starting {resource.Name}{(resource.Url is null ? "" : $" at {resource.Url}")}");
                await resource.StartAsync(options.StartTimeout, ct);
                cluster._output.Launcher($"{resource.Name} is healthy (pid {resource.Pid})");
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops every resource in reverse start order and deletes the temp folders.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _resources.Count - 1; i >= 0; i--) await _resources[i].StopAsync();
        await _probes.DisposeAsync();
        _watchdog.Dispose();
        // A child's last files can still be closing: try a few times.
        for (var attempt = 0; attempt < 5 && Directory.Exists(_directory); attempt++)
        {
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
            catch (UnauthorizedAccessException) { await Task.Delay(200); }
        }
    }

    // An existing Redis is not ours to start: say at once when it does not answer, naming only the
    // endpoint (the rest of the configuration string may hold a password).
    private async Task WaitForExternalRedisAsync(CancellationToken ct)
    {
        var endpoint = RedisConnectionString.Split(',')[0];
        _output.Launcher($"using the Redis at {endpoint} (ConnectionStrings__redis)");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                if (await _probes.RedisAsync(ct)) return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new ClusterStartException($"the Redis at {endpoint} (from ConnectionStrings__redis) does not answer: start it, fix the setting, or unset it to let the launcher start its own redis-server.");
            await Task.Delay(500, ct);
        }
    }

    private ClusterResource Add(string name, Uri? url, ProcessSpec spec, Func<CancellationToken, Task<bool>> isHealthy)
    {
        var resource = new ClusterResource(name, url, spec, isHealthy, _output, pid => _watchdog.Record(name, pid));
        _resources.Add(resource);
        return resource;
    }

    private static void Validate(ClusterOptions options)
    {
        if (options.Replicas is < 1 or > ClusterOptions.MaxReplicas)
            throw new ClusterStartException($"replicas must be from 1 to {ClusterOptions.MaxReplicas} (got {options.Replicas})");
        if (options.Port is < 1 or > 65535)
            throw new ClusterStartException($"port must be from 1 to 65535 (got {options.Port})");
        if (!HostName.IsValid(options.CollectorHost))
            throw new ClusterStartException($"collector host '{options.CollectorHost}' is not valid: must be {HostName.Rule}; set Collector__Host.");
    }

    // Checked by binding before anything starts, so a busy port fails at once and leaves nothing behind.
    private static void EnsurePortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            throw new ClusterStartException($"port {port.ToString(CultureInfo.InvariantCulture)} is in use: choose another with --port");
        }
    }

    // Holds all listeners at once so the ports are distinct (and never the front door's).
    private static int[] FreePorts(int count, int frontDoor)
    {
        var listeners = new List<TcpListener>();
        try
        {
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                if (((IPEndPoint)listener.LocalEndpoint).Port == frontDoor) listener.Dispose();
                else listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Dispose();
        }
    }

    private static string? Setting(ClusterOptions options, string name) =>
        options.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value)
            ? value
            : Environment.GetEnvironmentVariable(name) is { Length: > 0 } env ? env : null;
}
