using System.Text.Json;
using StackExchange.Redis;

namespace LoadCluster.Admin.Tests;

/// <summary>
/// The fleet's programs as an operator runs them, from their build output: the enrollment tool
/// (to completion, the admin credential in its environment), collectors and web replicas (as
/// processes, configured by the environment files enrollment printed).
/// </summary>
internal static class Fleet
{
    private static string Dll(string project, string name) => Path.Combine(Checkout.Root, "src", project, "bin", Checkout.Configuration, "net10.0", name + ".dll");

    /// <summary>Runs <c>loadcluster-admin ARGS</c> with the admin connection string in its environment.</summary>
    public static Task<CommandResult> AdminAsync(string adminConnectionString, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["ConnectionStrings__redis_admin"] = adminConnectionString };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) env[name] = value;
        return CommandLine.RunAsync("dotnet", [Dll("LoadCluster.Admin", "loadcluster-admin"), .. args], TimeSpan.FromMinutes(1), environment: env);
    }

    public static Task<CommandResult> AdminAsync(TestRedis redis, params string[] args) => AdminAsync(redis.ConnectionString, null, args);

    /// <summary>The KEY=value lines of an environment file (comments and blank lines skipped).</summary>
    public static Dictionary<string, string> EnvFile(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>A collector configured by <paramref name="env"/> (an enrollment's file), sampling every 200 ms; ready once it says it collects.</summary>
    public static Task<AppProcess> CollectorAsync(IReadOnlyDictionary<string, string> env)
    {
        var all = new Dictionary<string, string>(env) { ["Collector__Interval"] = "00:00:00.200" };
        return AppProcess.StartToolAsync(Dll("LoadCluster.Collector", "LoadCluster.Collector"), [], ready: "Collecting", environment: all);
    }

    /// <summary>A web replica configured by <paramref name="env"/> (the web user's file).</summary>
    public static Task<AppProcess> WebAsync(IReadOnlyDictionary<string, string> env, string replica = "web-fleet") =>
        AppProcess.StartAsync(Dll("LoadCluster.Web", "LoadCluster.Web"), Path.Combine(Checkout.Root, "src", "LoadCluster.Web"),
            environment: new Dictionary<string, string>(env) { ["LoadCluster__Replica"] = replica });

    /// <summary>The host's state and sample time on the replica's board (/api/hosts), or null when it is not there.</summary>
    public static async Task<(string State, long Ts)?> HostOnBoardAsync(HttpClient http, AppProcess web, string host)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(web.Url("/api/hosts")));
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            if (entry.GetProperty("host").GetString() == host)
                return (entry.GetProperty("state").GetString()!, entry.GetProperty("sample").GetProperty("ts").GetInt64());
        }
        return null;
    }

    /// <summary>ACL LOG: one line per entry (reason, object, user), empty when Redis refused nothing.</summary>
    public static async Task<List<string>> AclLogAsync(IServer server) =>
        [.. ((RedisResult[])(await server.ExecuteAsync("ACL", "LOG"))!).Select(entry =>
        {
            var fields = ((RedisResult[])entry!).Select(f => f.ToString()).ToArray();
            string Field(string name) => fields[Array.IndexOf(fields, name) + 1];
            return $"{Field("reason")} {Field("object")} by {Field("username")}";
        })];
}
