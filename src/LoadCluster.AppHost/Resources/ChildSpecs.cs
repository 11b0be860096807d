using System.Globalization;

namespace LoadCluster.AppHost.Resources;

/// <summary>
/// Command lines and environments of the children. The environment names are the ones Aspire
/// injects (and docker-compose.yml uses): ConnectionStrings__redis, OTEL_SERVICE_NAME, and so on.
/// </summary>
internal static class ChildSpecs
{
    public static ProcessSpec Redis(string redisServer, int port, string directory) => new(
        redisServer,
        ["--port", Invariant(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory],
        directory,
        new Dictionary<string, string>());

    public static ProcessSpec Nginx(string nginx, string directory) => new(
        nginx,
        ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", "stderr", "-g", "daemon off;"],
        directory,
        new Dictionary<string, string>());

    public static ProcessSpec Collector(string dotnet, (string Directory, string Dll) project, string redis, string host, IReadOnlyDictionary<string, string> extra) => new(
        dotnet,
        [project.Dll],
        project.Directory,
        With(extra, new()
        {
            ["ConnectionStrings__redis"] = redis,
            ["OTEL_SERVICE_NAME"] = "collector",
            ["Collector__Host"] = host,
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        }));

    public static ProcessSpec Web(string dotnet, (string Directory, string Dll) project, string redis, string replica, int port, int frontDoorPort, string signingKey, IReadOnlyDictionary<string, string> extra) => new(
        dotnet,
        [project.Dll],
        project.Directory,
        With(extra, new()
        {
            ["ConnectionStrings__redis"] = redis,
            ["OTEL_SERVICE_NAME"] = "web",
            ["LoadCluster__Replica"] = replica,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Invariant(port)}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Turbo__SigningKey"] = signingKey,
            // The browser's origin is the front door, not the replica.
            ["Turbo__AllowedOrigins__0"] = $"http://127.0.0.1:{Invariant(frontDoorPort)}",
            ["Turbo__AllowedOrigins__1"] = $"http://localhost:{Invariant(frontDoorPort)}",
        }));

    // The caller's extra settings win over the launcher's.
    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> extra, Dictionary<string, string> env)
    {
        foreach (var (key, value) in extra) env[key] = value;
        return env;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
