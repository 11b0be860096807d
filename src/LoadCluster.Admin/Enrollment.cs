using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LoadCluster.Samples;

namespace LoadCluster.Admin;

/// <summary>
/// Adds, revokes and lists host users, and makes the web replicas' user, on every Redis node at
/// once (<see cref="RedisNodes"/>: behind Sentinel, the data nodes and the sentinels), persisting
/// each change there. Rules come from <see cref="RedisAcl"/>; passwords are 256 random bits, sent
/// to Redis only as their SHA-256.
/// </summary>
internal sealed class Enrollment(AdminSettings settings, RedisNodes nodes, TextWriter output, TimeProvider time)
{
    private readonly RedisAcl _acl = new(settings.Names);

    /// <param name="options">Where the service will reach Redis, where it keeps the CA, where to write the file.</param>
    public async Task AddHostAsync(string host, OutputOptions options)
    {
        if (!HostName.IsValid(host)) throw new AdminException($"'{host}' is not a valid host name: it must be {HostName.Rule} (it names the host's Redis user, keys and channel).", 2);
        var user = _acl.HostUser(host);
        if (await AlreadyDoneAsync(user, options, $"host {host}")) return;
        var password = await CreateAsync(user, _acl.HostRules(host));
        await WriteAsync($"LoadCluster collector of host {host} (Redis user {user})", [("Collector__Host", host), .. Lines(user, password, options)], options);
    }

    public async Task AddWebAsync(OutputOptions options)
    {
        var user = _acl.WebUser;
        if (await AlreadyDoneAsync(user, options, "the web replicas' user")) return;
        var password = await CreateAsync(user, _acl.WebRules);
        await WriteAsync($"LoadCluster web replicas (Redis user {user})", Lines(user, password, options), options);
    }

    /// <summary>
    /// Turns the user off (no new sign-in), closes its connections (its samples stop at once; the
    /// board shows the host going stale) and deletes it, on every node.
    /// </summary>
    public async Task RevokeHostAsync(string host)
    {
        if (!HostName.IsValid(host)) throw new AdminException($"'{host}' is not a valid host name: it must be {HostName.Rule}.", 2);
        var user = _acl.HostUser(host);
        var having = await nodes.HavingAsync(user);
        if (having.Count == 0) throw new AdminException($"host {host} is not enrolled (no Redis user {user} on any node); 'hosts list' shows who is.", 2);
        foreach (var server in nodes.All)
        {
            if (!having.Contains(RedisNodes.Name(server.EndPoint))) continue;
            await server.ExecuteAsync("ACL", "SETUSER", user, "off");
            // ACL DELUSER closes them too; StackExchange.Redis sends a sentinel no CLIENT command.
            if (!nodes.IsSentinel(server)) await server.ExecuteAsync("CLIENT", "KILL", "USER", user);
            await server.ExecuteAsync("ACL", "DELUSER", user);
            await nodes.SaveAsync(server);
        }
        await output.WriteLineAsync($"revoked host {host}: Redis user {user} deleted and its connections closed on {string.Join(", ", having)}");
    }

    /// <summary>
    /// Applies this version's rules to every host user and the web replicas' user, on each node that
    /// has it, keeping passwords and on/off (each rule list resets keys, channels and commands first).
    /// An upgrade that changes what a service writes says to run it.
    /// </summary>
    public async Task UpdateRulesAsync()
    {
        var hosts = 0;
        var web = false;
        foreach (var (user, having) in await nodes.UsersAsync())
        {
            var rules = user == _acl.WebUser ? _acl.WebRules : _acl.HostOfUser(user) is { } host ? _acl.HostRules(host) : null;
            if (rules is null) continue;
            foreach (var server in nodes.All.Where(s => having.Contains(RedisNodes.Name(s.EndPoint))))
                await server.ExecuteAsync("ACL", ["SETUSER", user, .. RulesOn(server, rules)]);
            if (user == _acl.WebUser) web = true;
            else hosts++;
        }
        foreach (var server in nodes.All) await nodes.SaveAsync(server);
        await output.WriteLineAsync($"rules updated for {hosts} hosts{(web ? " and the web replicas' user" : "")} on {string.Join(", ", nodes.All.Select(s => RedisNodes.Name(s.EndPoint)))}; passwords kept");
    }

    /// <summary>Every enrolled host with when a web replica last heard from it (the hosts index), and any node that lacks its user.</summary>
    public async Task ListAsync()
    {
        var users = await nodes.UsersAsync();
        var all = nodes.All.Select(s => RedisNodes.Name(s.EndPoint)).ToList();
        var now = time.GetUtcNow();
        await output.WriteLineAsync($"{"HOST",-30} {"LAST SEEN",-32} {"USER",-44} NODES");
        var count = 0;
        foreach (var (user, having) in users)
        {
            if (_acl.HostOfUser(user) is not { } host) continue;
            count++;
            var score = await nodes.Database.SortedSetScoreAsync(settings.Names.Hosts, host);
            var seen = score is { } ms
                ? $"{DateTimeOffset.FromUnixTimeMilliseconds((long)ms):yyyy-MM-ddTHH:mm:ssZ} ({Ago(now - DateTimeOffset.FromUnixTimeMilliseconds((long)ms))})"
                : "never";
            var missing = all.Except(having).ToList();
            await output.WriteLineAsync($"{host,-30} {seen,-32} {user,-44} {(missing.Count == 0 ? "all" : "missing on " + string.Join(", ", missing))}");
        }
        await output.WriteLineAsync($"{count} hosts enrolled; web replicas' user {_acl.WebUser}: {(users.ContainsKey(_acl.WebUser) ? "present" : "not made yet (web add)")}");
        foreach (var node in await nodes.DefaultUserOnAsync())
            await output.WriteLineAsync($"warning: the default user is on at {node}: anyone who reaches it without a user may do what it allows; turn it off there ('ACL SETUSER default off', then 'ACL SAVE')");
    }

    private static string Ago(TimeSpan span) => span.TotalSeconds < 120
        ? $"{Math.Max(0, span.TotalSeconds):0} s ago"
        : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min ago" : $"{span.TotalHours:0} h ago";

    // With --if-missing a user present on every node, whose file is there, is left alone (a
    // compose start runs enrollment each time); otherwise an existing user is an error.
    private async Task<bool> AlreadyDoneAsync(string user, OutputOptions options, string what)
    {
        var having = await nodes.HavingAsync(user);
        if (having.Count == 0) return false;
        if (options.IfMissing && options.File is { } file && File.Exists(file) && having.Count == nodes.All.Count)
        {
            await Console.Error.WriteLineAsync($"{what} is enrolled already (Redis user {user}); {file} kept");
            return true;
        }
        throw new AdminException($"{what} is enrolled already (Redis user {user} exists on {string.Join(", ", having)}): revoke it first to enroll it again with a new password.", 2);
    }

    private async Task<string> CreateAsync(string user, IReadOnlyList<string> rules)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        foreach (var server in nodes.All)
        {
            await server.ExecuteAsync("ACL", ["SETUSER", user, "reset", "on", "#" + hash, .. RulesOn(server, rules)]);
            await nodes.SaveAsync(server);
        }
        return password;
    }

    // On a sentinel every service's user may only follow the primary, whatever it may do on the data nodes.
    private IReadOnlyList<string> RulesOn(StackExchange.Redis.IServer server, IReadOnlyList<string> rules) =>
        nodes.IsSentinel(server) ? RedisAcl.SentinelRules : rules;

    private IEnumerable<(string, string)> Lines(string user, string password, OutputOptions options)
    {
        yield return ("LoadCluster__Prefix", settings.Names.Prefix);
        yield return ("ConnectionStrings__redis", EnvFile.ConnectionString(settings.Admin, options.Endpoints, user, password));
        if (settings.CaFile is not null) yield return (AdminSettings.CaFileSetting, options.CaFile ?? EnvFile.DefaultHostCaFile);
    }

    private async Task WriteAsync(string title, IEnumerable<(string, string)> lines, OutputOptions options)
    {
        var text = EnvFile.For(title, lines, time.GetUtcNow());
        if (options.File is not { } file)
        {
            await output.WriteAsync(text);
            return;
        }
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(file, create))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text);
        }
        await Console.Error.WriteLineAsync($"wrote {file} ({title})");
    }
}

/// <summary>How enrollment's output is written (see <see cref="EnvFile"/>).</summary>
/// <param name="Endpoints">Where the service reaches Redis, when not where the admin does.</param>
/// <param name="CaFile">Where the service keeps the CA certificate (with a private CA).</param>
/// <param name="File">Write the environment file there (mode 0600) instead of standard output.</param>
/// <param name="IfMissing">Leave a user present on every node alone when <paramref name="File"/> exists.</param>
internal sealed record OutputOptions(IReadOnlyList<string>? Endpoints, string? CaFile, string? File, bool IfMissing);
