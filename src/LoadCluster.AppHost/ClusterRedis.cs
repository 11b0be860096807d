using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.AppHost;

/// <summary>
/// The cluster's Redis, as the resource "redis" that the services' connection name asks for: the
/// Redis that ConnectionStrings__redis names (nothing started), a Redis container, or a local
/// redis-server process (resource "redis-server") when no container runtime answers.
/// </summary>
internal static class ClusterRedis
{
    public const string Name = "redis";

    /// <summary>
    /// Adds the resource and says which one and why; throws <see cref="ClusterStartException"/>
    /// when none can be had. <c>Server</c> is the resource that runs Redis, if one is started.
    /// The console says when Redis does not answer (<see cref="RedisWait"/>), and a Redis it
    /// started that exits is started again (<see cref="RedisRestart"/>).
    /// </summary>
    public static (IResourceBuilder<IResourceWithConnectionString> Redis, string? Server) AddClusterRedis(
        this IDistributedApplicationBuilder builder, ClusterArguments arguments, TextWriter console)
    {
        if (arguments.ExternalRedis is not null)
        {
            console.WriteLine("Redis: the one ConnectionStrings__redis names (nothing started).");
            var external = builder.AddConnectionString(Name);
            RedisWait.AddTo(builder, external.Resource, "ConnectionStrings__redis");
            return (external, null);
        }
        var mode = arguments.Redis;
        var namedBy = $"--redis {mode.ToString().ToLowerInvariant()}";
        if (mode == RedisMode.Auto)
        {
            var why = ContainerRuntime.WhyUnavailable();
            mode = why is null ? RedisMode.Container : RedisMode.Local;
            console.WriteLine(why is null
                ? $"Redis: a container, as the container runtime ({ContainerRuntime.Cli}) answers (--redis local runs redis-server instead)."
                : $"Redis: a local redis-server, as no container runtime answers ({why}).");
        }
        else
        {
            console.WriteLine($"Redis: {(mode == RedisMode.Container ? "a container" : "a local redis-server")} (--redis {mode.ToString().ToLowerInvariant()}).");
        }
        var (redis, server) = mode == RedisMode.Container
            ? ((IResourceBuilder<IResourceWithConnectionString>)builder.AddRedis(Name).WithoutHttpsCertificate(), Name)
            : (AddLocal(builder), "redis-server");
        RedisWait.AddTo(builder, redis.Resource, namedBy);
        RedisRestart.AddTo(builder, server);
        return (redis, server);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocal(IDistributedApplicationBuilder builder)
    {
        var path = RedisServerPath() ?? throw new ClusterStartException(
            "redis-server is not installed: apt-get install redis-server (scripts/run.sh does), or run with --redis container, or set ConnectionStrings__redis to a Redis you have.");
        var directory = Directory.CreateTempSubdirectory("loadcluster-redis-").FullName;
        var server = builder.AddExecutable("redis-server", path, directory)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            // Loopback only, nothing written to disk: a throwaway Redis for this run.
            .WithArgs(context =>
            {
                var endpoint = ((IResourceWithEndpoints)context.Resource).GetEndpoint("tcp");
                context.Args.Add("--port");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                foreach (var arg in new[] { "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory }) context.Args.Add(arg);
            });
        var endpoint = server.GetEndpoint("tcp");
        var connectionString = ReferenceExpression.Create($"127.0.0.1:{endpoint.Property(EndpointProperty.Port)}");
        var check = "redis-server_check";
        builder.Services.AddHealthChecks().AddRedis(sp => $"127.0.0.1:{endpoint.Port},abortConnect=false", check);
        server.WithHealthCheck(check);
        return builder.AddConnectionString(Name, connectionString);
    }

    private static string? RedisServerPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}
