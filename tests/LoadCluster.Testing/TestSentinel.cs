using System.Globalization;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace LoadCluster.Testing;

/// <summary>
/// Redis with Sentinel, as docker-compose.yml runs it and from the same scripts (docker/redis):
/// a primary, a replica and three sentinels, each a container of the Redis image on the host's
/// network, listening on 127.0.0.1 at a free port of its own. On the host's network every node
/// knows the others by the address clients use (127.0.0.1:port), so what the sentinels announce
/// works both for the nodes and for the tests. Disposing removes the containers.
/// </summary>
public sealed class TestSentinel : IAsyncDisposable
{
    /// <summary>The service name the sentinels watch (docker/redis/sentinel.sh): clients ask for <c>serviceName=loadcluster</c>.</summary>
    public const string Service = "loadcluster";

    private const string Scripts = "/usr/local/lib/loadcluster";

    private readonly Dictionary<int, IContainer> _nodes;
    private readonly List<(int Port, IContainer Container)> _sentinels;

    private TestSentinel(Dictionary<int, IContainer> nodes, List<(int, IContainer)> sentinels)
    {
        _nodes = nodes;
        _sentinels = sentinels;
    }

    /// <summary>The data nodes' ports, the first primary first.</summary>
    public IReadOnlyList<int> NodePorts => [.. _nodes.Keys];

    /// <summary>StackExchange.Redis configuration string: the three sentinels and the service, as the services are given it.</summary>
    public string ConnectionString =>
        $"{string.Join(',', _sentinels.Select(s => $"127.0.0.1:{s.Port}"))},serviceName={Service},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public static async Task<TestSentinel> StartAsync()
    {
        await DockerEngine.EnsureSettingsAsync();
        var nodes = new Dictionary<int, IContainer>();
        var sentinels = new List<(int, IContainer)>();
        var started = new TestSentinel(nodes, sentinels);
        try
        {
            var primary = FreePort.Next();
            nodes[primary] = await StartAsync(Node(primary, replicaOf: null), primary);
            var replica = FreePort.Next();
            nodes[replica] = await StartAsync(Node(replica, replicaOf: primary), replica);
            for (var i = 0; i < 3; i++)
            {
                var port = FreePort.Next();
                sentinels.Add((port, await StartAsync(Sentinel(port, primary), port)));
            }
            await started.WaitUntilAsync(async () => await started.SentinelAsync("SENTINEL", "REPLICAS", Service) is var replicas
                && replicas.Contains($"127.0.0.1:{replica}", StringComparison.Ordinal) && await started.KnownSentinelsAsync() == 2,
                TimeSpan.FromSeconds(30), "the sentinels know the replica and each other");
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
        return started;
    }

    /// <summary>The port of the node the sentinels hold for the primary now.</summary>
    public async Task<int> PrimaryPortAsync()
    {
        var answer = (await SentinelAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", Service)).Split('\n', StringSplitOptions.TrimEntries);
        return int.Parse(answer[1], CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL of the primary, as a crashed machine: no shutdown, no goodbye to the replica. Returns its port.</summary>
    public async Task<int> KillPrimaryAsync()
    {
        var port = await PrimaryPortAsync();
        await DockerEngine.CliAsync("kill", "--signal", "KILL", _nodes[port].Id);
        return port;
    }

    /// <summary>Waits until the sentinels have promoted another node than <paramref name="oldPrimary"/>; returns its port.</summary>
    public async Task<int> WaitForNewPrimaryAsync(int oldPrimary, TimeSpan timeout)
    {
        var port = oldPrimary;
        await WaitUntilAsync(async () => (port = await PrimaryPortAsync()) != oldPrimary, timeout, $"the sentinels promote a replica in place of 127.0.0.1:{oldPrimary}");
        return port;
    }

    /// <summary>Starts a stopped node again, on its port, with what it kept in its container.</summary>
    public Task StartNodeAsync(int port) => _nodes[port].StartAsync();

    /// <summary>Waits until the node replicates from the current primary with its link up (the sentinels turned a returning primary into a replica).</summary>
    public Task WaitForReplicaAsync(int port, TimeSpan timeout) =>
        WaitUntilAsync(async () =>
        {
            var info = await CliAsync(port, "INFO", "replication");
            return info.Contains("role:slave", StringComparison.Ordinal)
                && info.Contains($"master_port:{await PrimaryPortAsync()}", StringComparison.Ordinal)
                && info.Contains("master_link_status:up", StringComparison.Ordinal);
        }, timeout, $"127.0.0.1:{port} replicates from the primary");

    /// <summary>Runs <c>redis-cli</c> against one data node, inside its container.</summary>
    public Task<string> CliAsync(int port, params string[] args) => CliAsync(_nodes[port], port, args);

    private Task<string> SentinelAsync(params string[] args) => CliAsync(_sentinels[0].Container, _sentinels[0].Port, args);

    private async Task<int> KnownSentinelsAsync()
    {
        var answer = await SentinelAsync("SENTINEL", "SENTINELS", Service);
        return answer.Split('\n').Count(line => line.Trim() == "name");
    }

    private static async Task<string> CliAsync(IContainer container, int port, string[] args)
    {
        var result = await container.ExecAsync(["redis-cli", "-p", port.ToString(CultureInfo.InvariantCulture), .. args]);
        return result.ExitCode == 0 ? result.Stdout.Trim() : throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}");
    }

    private static ContainerBuilder Node(int port, int? replicaOf) =>
        Container("node.sh", port)
            .WithEnvironment("REDIS_REPLICA_OF", replicaOf is { } primary ? $"127.0.0.1 {primary}" : "")
            // Nothing on disk: each test starts afresh; a killed node keeps its config file (its role) in the container.
            .WithCommand("--port", Port(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");

    private static ContainerBuilder Sentinel(int port, int primary) =>
        Container("sentinel.sh", port)
            .WithEnvironment("SENTINEL_MONITOR", $"127.0.0.1 {Port(primary)}")
            .WithCommand("--port", Port(port), "--bind", "127.0.0.1");

    private static ContainerBuilder Container(string script, int port) =>
        new ContainerBuilder(TestRedis.Image)
            .WithResourceMapping(File.ReadAllBytes(Path.Combine(Checkout.Root, "docker", "redis", script)), $"{Scripts}/{script}")
            .WithEntrypoint("sh", $"{Scripts}/{script}")
            .WithCreateParameterModifier(create =>
            {
                // The host's network, so every node is at 127.0.0.1:port for the others and for the tests alike.
                (create.HostConfig ??= new()).NetworkMode = "host";
                create.User = "redis";
            })
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("redis-cli", "-p", Port(port), "ping"));

    private static Task<IContainer> StartAsync(ContainerBuilder builder, int port) => TestRedis.StartContainerAsync(builder.Build, $"127.0.0.1:{port}");

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // A node or sentinel answers nothing useful yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, sentinel) in _sentinels) await sentinel.DisposeAsync();
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }
}
