using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using LoadCluster.Samples;

namespace LoadCluster.Testing;

/// <summary>
/// Redis with Sentinel, as docker-compose.yml runs it and from the same scripts (docker/redis):
/// a primary, a replica and three sentinels, each a container of the Redis image on the host's
/// network, listening on 127.0.0.1 at a free port of its own. On the host's network every node
/// knows the others by the address clients use (127.0.0.1:port), so what the sentinels announce
/// works both for the nodes and for the tests. With <c>acl</c> every node and sentinel runs as
/// docker compose runs them: <c>default</c> off, the admin user (<see cref="ConnectionString"/> is
/// its), users made on every node and sentinel (<see cref="CreateUserAsync"/>); with
/// <see cref="TestTls"/> they speak TLS only, replication and the sentinels' own links included.
/// Disposing removes the containers.
/// </summary>
public sealed class TestSentinel : IAsyncDisposable
{
    /// <summary>The service name the sentinels watch (docker/redis/sentinel.sh): clients ask for <c>serviceName=loadcluster</c>.</summary>
    public const string Service = "loadcluster";

    private const string Scripts = "/usr/local/lib/loadcluster";
    private const string TlsFolder = "/tls";

    private readonly Dictionary<int, IContainer> _nodes = [];
    private readonly List<(int Port, IContainer Container)> _sentinels = [];
    private readonly string? _adminPassword;
    private readonly TestTls? _tls;

    private TestSentinel(string? adminPassword, TestTls? tls)
    {
        _adminPassword = adminPassword;
        _tls = tls;
    }

    /// <summary>The data nodes' ports, the first primary first.</summary>
    public IReadOnlyList<int> NodePorts => [.. _nodes.Keys];

    /// <summary>StackExchange.Redis configuration string: the three sentinels and the service, as the services are given it (the admin user's where ACLs are on).</summary>
    public string ConnectionString => _adminPassword is null ? Endpoint : UserConnectionString("admin", _adminPassword);

    /// <summary>The sentinels, the service, the test's timeouts (and ssl=true with TLS), with no user.</summary>
    public string Endpoint =>
        $"{string.Join(',', _sentinels.Select(s => $"127.0.0.1:{s.Port}"))},serviceName={Service},abortConnect=false,connectTimeout=2000,syncTimeout=2000" + (_tls is null ? "" : ",ssl=true");

    public string UserConnectionString(string user, string password) => $"{Endpoint},user={user},password={password}";

    /// <param name="acl">Users as docker compose has them: default off, the admin user's <see cref="ConnectionString"/>.</param>
    /// <param name="tls">TLS only, with this CA's server certificate (for 127.0.0.1), on every node and sentinel.</param>
    public static async Task<TestSentinel> StartAsync(bool acl = false, TestTls? tls = null)
    {
        await DockerEngine.EnsureSettingsAsync();
        var started = new TestSentinel(acl ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null, tls);
        try
        {
            var primary = FreePort.Next();
            started._nodes[primary] = await StartAsync(started.Node(primary, replicaOf: null), primary);
            var replica = FreePort.Next();
            started._nodes[replica] = await StartAsync(started.Node(replica, replicaOf: primary), replica);
            for (var i = 0; i < 3; i++)
            {
                var port = FreePort.Next();
                started._sentinels.Add((port, await StartAsync(started.Sentinel(port, primary), port)));
            }
            await Wait.UntilAsync(Answering(async () => await started.SentinelAsync("SENTINEL", "REPLICAS", Service) is var replicas
                && replicas.Contains($"127.0.0.1:{replica}", StringComparison.Ordinal) && await started.KnownSentinelsAsync() == 2),
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
        await Wait.UntilAsync(Answering(async () => (port = await PrimaryPortAsync()) != oldPrimary), timeout, $"the sentinels promoted a replica in place of 127.0.0.1:{oldPrimary}");
        return port;
    }

    /// <summary>Starts a stopped node again, on its port, with what it kept in its container.</summary>
    public Task StartNodeAsync(int port) => _nodes[port].StartAsync();

    /// <summary>Waits until the node replicates from the current primary with its link up (the sentinels turned a returning primary into a replica).</summary>
    public Task WaitForReplicaAsync(int port, TimeSpan timeout) =>
        Wait.UntilAsync(Answering(async () =>
        {
            var info = await CliAsync(port, "INFO", "replication");
            return info.Contains("role:slave", StringComparison.Ordinal)
                && info.Contains($"master_port:{await PrimaryPortAsync()}", StringComparison.Ordinal)
                && info.Contains("master_link_status:up", StringComparison.Ordinal);
        }), timeout, $"127.0.0.1:{port} replicates from the primary");

    /// <summary>
    /// Makes a user with the given rules on both data nodes and, with the rules a service has there
    /// (<see cref="RedisAcl.SentinelRules"/>), on every sentinel, as the enrollment tool does; returns
    /// its connection string through the sentinels. Needs <c>acl</c>.
    /// </summary>
    public async Task<string> CreateUserAsync(string user, IEnumerable<string> rules)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hash = "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        foreach (var (port, node) in _nodes)
        {
            await CliAsync(node, port, ["ACL", "SETUSER", user, "reset", "on", hash, .. rules]);
            await CliAsync(node, port, ["ACL", "SAVE"]);
        }
        foreach (var (port, sentinel) in _sentinels)
        {
            await CliAsync(sentinel, port, ["ACL", "SETUSER", user, "reset", "on", hash, .. RedisAcl.SentinelRules]);
            await CliAsync(sentinel, port, ["SENTINEL", "FLUSHCONFIG"]);
        }
        return UserConnectionString(user, password);
    }

    /// <summary>Runs <c>redis-cli</c> against one data node, inside its container (as the admin where ACLs are on).</summary>
    public Task<string> CliAsync(int port, params string[] args) => CliAsync(_nodes[port], port, args);

    /// <summary>Runs <c>redis-cli</c> against one sentinel (0, 1 or 2), inside its container.</summary>
    public Task<string> SentinelCliAsync(int sentinel, params string[] args) => CliAsync(_sentinels[sentinel].Container, _sentinels[sentinel].Port, args);

    private Task<string> SentinelAsync(params string[] args) => SentinelCliAsync(0, args);

    private async Task<int> KnownSentinelsAsync()
    {
        var answer = await SentinelAsync("SENTINEL", "SENTINELS", Service);
        return answer.Split('\n').Count(line => line.Trim() == "name");
    }

    private async Task<string> CliAsync(IContainer container, int port, string[] args)
    {
        var result = await container.ExecAsync([.. Cli(port), .. args]);
        return result.ExitCode == 0 ? result.Stdout.Trim() : throw new InvalidOperationException($"redis-cli -p {port} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}");
    }

    /// <summary>redis-cli for one port inside a container: over TLS, as the admin, where those are on.</summary>
    private string[] Cli(int port) =>
    [
        "redis-cli", "-p", Port(port),
        .. _tls is null ? [] : new[] { "--tls", "--cacert", $"{TlsFolder}/ca.crt" },
        .. _adminPassword is null ? [] : new[] { "--user", "admin", "--pass", _adminPassword, "--no-auth-warning" },
    ];

    private ContainerBuilder Node(int port, int? replicaOf)
    {
        var builder = Container("node.sh", port)
            .WithEnvironment("REDIS_REPLICA_OF", replicaOf is { } primary ? $"127.0.0.1 {primary}" : "");
        // Nothing on disk: each test starts afresh; a killed node keeps its config file (its role) in the container.
        List<string> args = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. Listen(port)];
        if (_adminPassword is not null)
        {
            builder = builder
                .WithEnvironment("REDIS_ADMIN_PASSWORD", _adminPassword)
                .WithResourceMapping(Encoding.UTF8.GetBytes($"user default off\nuser admin on >{_adminPassword} ~* &* +@all\n"), TestRedis.AclFile);
            args.AddRange(["--aclfile", TestRedis.AclFile]);
        }
        return builder.WithCommand([.. args]);
    }

    private ContainerBuilder Sentinel(int port, int primary)
    {
        var builder = Container("sentinel.sh", port).WithEnvironment("SENTINEL_MONITOR", $"127.0.0.1 {Port(primary)}");
        if (_adminPassword is not null) builder = builder.WithEnvironment("REDIS_ADMIN_PASSWORD", _adminPassword);
        return builder.WithCommand(["--bind", "127.0.0.1", .. Listen(port)]);
    }

    /// <summary>The port, plain or TLS only (replication and the sentinels' own links too), as docker compose has it.</summary>
    private string[] Listen(int port) => _tls is null
        ? ["--port", Port(port)]
        : ["--port", "0", "--tls-port", Port(port), "--tls-cert-file", $"{TlsFolder}/redis.crt", "--tls-key-file", $"{TlsFolder}/redis.key",
            "--tls-ca-cert-file", $"{TlsFolder}/ca.crt", "--tls-auth-clients", "no", "--tls-replication", "yes"];

    private ContainerBuilder Container(string script, int port)
    {
        var builder = new ContainerBuilder(TestRedis.Image)
            .WithResourceMapping(File.ReadAllBytes(Path.Combine(Checkout.Root, "docker", "redis", script)), $"{Scripts}/{script}")
            .WithEntrypoint("sh", $"{Scripts}/{script}")
            // The host's network, so every node is at 127.0.0.1:port for the others and for the tests alike.
            .WithCreateParameterModifier(create => (create.HostConfig ??= new()).NetworkMode = "host")
            .WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilCommandIsCompleted([.. Cli(port), "ping"]));
        if (_tls is not null)
        {
            builder = builder
                .WithResourceMapping(File.ReadAllBytes(_tls.CaFile), $"{TlsFolder}/ca.crt")
                .WithResourceMapping(File.ReadAllBytes(_tls.ServerCertificateFile), $"{TlsFolder}/redis.crt")
                .WithResourceMapping(File.ReadAllBytes(_tls.ServerKeyFile), $"{TlsFolder}/redis.key");
        }
        return builder;
    }

    private static Task<IContainer> StartAsync(ContainerBuilder builder, int port) => TestRedis.StartContainerAsync(builder.Build, $"127.0.0.1:{port}");

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>For <see cref="Wait.UntilAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?)"/>: a node or sentinel whose redis-cli fails answers nothing useful yet.</summary>
    private static Func<Task<bool>> Answering(Func<Task<bool>> condition) => async () =>
    {
        try
        {
            return await condition();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, sentinel) in _sentinels) await sentinel.DisposeAsync();
        foreach (var node in _nodes.Values) await node.DisposeAsync();
    }
}
