using System.Net;
using System.Security.Authentication;
using StackExchange.Redis;

namespace LoadCluster.Admin;

/// <summary>
/// The Redis nodes users are made on, each by itself (ACL users are per node and not replicated):
/// every endpoint of the admin connection string. Each must answer, support ACLs and keep its
/// users in an aclfile, or nothing is changed anywhere.
/// </summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private RedisNodes(ConnectionMultiplexer redis, IReadOnlyList<IServer> servers)
    {
        _redis = redis;
        Servers = servers;
    }

    public IReadOnlyList<IServer> Servers { get; }

    /// <summary>The first node: where the hosts index is read (a replica has it too).</summary>
    public IDatabase Database => _redis.GetDatabase();

    public static async Task<RedisNodes> ConnectAsync(AdminSettings settings)
    {
        ConnectionMultiplexer redis;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(settings.Admin);
        }
        catch (RedisConnectionException e)
        {
            throw new AdminException($"Cannot connect to Redis ({string.Join(", ", settings.Admin.EndPoints.Select(Name))}): {Why(e)}");
        }
        var nodes = new RedisNodes(redis, [.. settings.Admin.EndPoints.Select(endpoint => redis.GetServer(endpoint))]);
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

    // Every node must answer, know ACLs, and save them to an aclfile that a restart reads back.
    private async Task CheckAsync()
    {
        foreach (var server in Servers)
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
        foreach (var server in Servers)
        {
            if (!(await server.ExecuteAsync("ACL", "GETUSER", user)).IsNull) having.Add(Name(server.EndPoint));
        }
        return having;
    }

    /// <summary>Runs one ACL (or CLIENT) command on every node, then ACL SAVE on each, so the change survives a restart.</summary>
    public async Task OnEveryNodeAsync(params (string Command, object[] Args)[] commands)
    {
        foreach (var server in Servers)
        {
            foreach (var (command, args) in commands) await server.ExecuteAsync(command, args);
            await server.ExecuteAsync("ACL", "SAVE");
        }
    }

    /// <summary>The nodes whose <c>default</c> user is on (it should be off where ACLs are used).</summary>
    public async Task<List<string>> DefaultUserOnAsync()
    {
        var on = new List<string>();
        foreach (var server in Servers)
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
        foreach (var server in Servers)
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

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
