using System.Net;
using System.Security.Authentication;
using StackExchange.Redis;

namespace LoadCluster.Admin;

/// <summary>
/// The Redis nodes users are made on, each by itself (ACL users are per node and not replicated):
/// every endpoint of the admin connection string; or, when it names sentinels (<c>serviceName=</c>),
/// the primary and the replicas they watch, found by asking them, and the sentinels themselves,
/// where each user may only follow the primary (<see cref="RedisAcl.SentinelRules"/>). Each must
/// answer and support ACLs, and a data node must keep its users in an aclfile, or nothing is
/// changed anywhere.
/// </summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly ConnectionMultiplexer? _sentinels;

    private RedisNodes(ConnectionMultiplexer redis, IReadOnlyList<IServer> servers, ConnectionMultiplexer? sentinels, IReadOnlyList<IServer> sentinelServers)
    {
        _redis = redis;
        Servers = servers;
        _sentinels = sentinels;
        Sentinels = sentinelServers;
    }

    /// <summary>The data nodes (primary first, behind Sentinel).</summary>
    public IReadOnlyList<IServer> Servers { get; }

    /// <summary>The sentinels (none without Sentinel).</summary>
    public IReadOnlyList<IServer> Sentinels { get; }

    /// <summary>Every server a user lives on: the data nodes, then the sentinels.</summary>
    public IReadOnlyList<IServer> All => [.. Servers, .. Sentinels];

    public bool IsSentinel(IServer server) => Sentinels.Contains(server);

    /// <summary>The first node: where the hosts index is read (a replica has it too).</summary>
    public IDatabase Database => _redis.GetDatabase();

    public static async Task<RedisNodes> ConnectAsync(AdminSettings settings)
    {
        ConnectionMultiplexer? sentinels = null;
        IServer[] sentinelServers = [];
        var nodeOptions = settings.Admin.Clone();
        if (settings.Admin.ServiceName is { Length: > 0 } service)
        {
            var sentinelOptions = settings.Admin.Clone();
            sentinelOptions.ServiceName = null;
            sentinels = await ConnectAsync(sentinelOptions, sentinel: true);
            sentinelServers = [.. sentinelOptions.EndPoints.Select(endpoint => sentinels.GetServer(endpoint))];
            nodeOptions.ServiceName = null;
            nodeOptions.EndPoints.Clear();
            foreach (var node in await WatchedAsync(sentinelServers, service)) nodeOptions.EndPoints.Add(node);
        }
        var redis = await ConnectAsync(nodeOptions, sentinel: false);
        var nodes = new RedisNodes(redis, [.. nodeOptions.EndPoints.Select(endpoint => redis.GetServer(endpoint))], sentinels, sentinelServers);
        try
        {
            await nodes.CheckAsync();
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        return nodes;
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, bool sentinel)
    {
        try
        {
            // A sentinel knows only its own few commands (no ECHO, no CONFIG GET of a data node's settings).
            return sentinel ? await ConnectionMultiplexer.SentinelConnectAsync(options) : await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException e)
        {
            throw new AdminException($"Cannot connect to Redis ({string.Join(", ", options.EndPoints.Select(Name))}): {Why(e)}");
        }
    }

    /// <summary>The primary and the replicas the sentinels watch for <paramref name="service"/>, asked of the first sentinel that knows it.</summary>
    private static async Task<List<EndPoint>> WatchedAsync(IEnumerable<IServer> sentinels, string service)
    {
        foreach (var sentinel in sentinels.Where(s => s.IsConnected))
        {
            try
            {
                if (await sentinel.SentinelGetMasterAddressByNameAsync(service) is not { } primary) continue;
                return [primary, .. await sentinel.SentinelGetReplicaAddressesAsync(service)];
            }
            catch (RedisServerException)
            {
                // This one does not know the service (or refuses the admin): ask the next.
            }
        }
        throw new AdminException($"No sentinel of {AdminSettings.AdminSetting} knows the service '{service}' (serviceName=): check the name, or name the data nodes themselves instead of the sentinels.");
    }

    public static string Name(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };

    private static string Why(Exception e) => e switch
    {
        { InnerException: AuthenticationException tls } =>
            $"its TLS certificate is not trusted ({tls.Message}): set {AdminSettings.CaFileSetting} to the CA certificate that signed it.",
        { InnerException: RedisServerException refused } when refused.Message.Contains("WRONGPASS", StringComparison.Ordinal) =>
            $"it refused the user and password of {AdminSettings.AdminSetting}.",
        _ => $"{e.Message} (if it accepts TLS only, add ssl=true to {AdminSettings.AdminSetting}).",
    };

    // Every node must answer and know ACLs; a data node must save them to an aclfile that a restart
    // reads back (a sentinel keeps them in its config file).
    private async Task CheckAsync()
    {
        foreach (var server in All)
        {
            var node = Name(server.EndPoint);
            if (!server.IsConnected) throw new AdminException($"Redis node {node} does not answer: users must be made on every node, so nothing was changed.");
            try
            {
                await server.ExecuteAsync("ACL", "WHOAMI");
            }
            catch (RedisServerException e) when (e.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase))
            {
                throw new AdminException($"Redis node {node} has no ACLs (it is older than Redis 6; {server.Version}): per-host users need Redis 7 or newer.");
            }
            if (IsSentinel(server)) continue;
            var aclfile = (await server.ConfigGetAsync("aclfile")).FirstOrDefault().Value;
            if (string.IsNullOrEmpty(aclfile))
                throw new AdminException($"Redis node {node} keeps its users in memory only (no aclfile), so a restart would forget every enrolled host: " +
                    "add 'aclfile /etc/redis/users.acl' to its configuration (create the file, e.g. with the line 'user default off', and move any 'user' lines and requirepass there), restart it, and try again.");
        }
    }

    /// <summary>ACL GETUSER on every node: the nodes that have the user.</summary>
    public async Task<List<string>> HavingAsync(string user)
    {
        var having = new List<string>();
        foreach (var server in All)
        {
            if (!(await server.ExecuteAsync("ACL", "GETUSER", user)).IsNull) having.Add(Name(server.EndPoint));
        }
        return having;
    }

    /// <summary>Keeps a change across a restart: ACL SAVE on a data node (its aclfile), SENTINEL FLUSHCONFIG on a sentinel (its config file).</summary>
    public Task SaveAsync(IServer server) => IsSentinel(server) ? server.ExecuteAsync("SENTINEL", "FLUSHCONFIG") : server.ExecuteAsync("ACL", "SAVE");

    /// <summary>The nodes whose <c>default</c> user is on (it should be off where ACLs are used).</summary>
    public async Task<List<string>> DefaultUserOnAsync()
    {
        var on = new List<string>();
        foreach (var server in All)
        {
            var user = (RedisResult[])(await server.ExecuteAsync("ACL", "GETUSER", "default"))!;
            var flags = (RedisResult[])user[Array.FindIndex(user, field => (string?)field == "flags") + 1]!;
            if (flags.Any(flag => (string?)flag == "on")) on.Add(Name(server.EndPoint));
        }
        return on;
    }

    /// <summary>ACL USERS of every node, merged, with the nodes that have each.</summary>
    public async Task<SortedDictionary<string, List<string>>> UsersAsync()
    {
        var users = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var server in All)
        {
            foreach (var user in (RedisResult[])(await server.ExecuteAsync("ACL", "USERS"))!)
            {
                var name = (string)user!;
                if (!users.TryGetValue(name, out var nodes)) users[name] = nodes = [];
                nodes.Add(Name(server.EndPoint));
            }
        }
        return users;
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        if (_sentinels is not null) await _sentinels.DisposeAsync();
    }
}
