using LoadCluster.AppHost;
using Microsoft.Extensions.DependencyInjection;

var builder = DistributedApplication.CreateBuilder(args);
if (!ClusterArguments.TryRead(builder.Configuration, out var cluster, out var error) || (error = StartChecks.Problem(cluster, builder.Configuration) ?? "").Length > 0)
{
    await Console.Error.WriteLineAsync($"error: {error}");
    return 2;
}

IResourceBuilder<IResourceWithConnectionString> redis;
string? redisServer;
try
{
    (redis, redisServer) = builder.AddClusterRedis(cluster, Console.Out);
}
catch (ClusterStartException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 2;
}

// One random key per run, the same on every replica; set Parameters:turbo-signing-key to choose it.
var signingKey = builder.AddParameter("turbo-signing-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true);

// Plain http between the parts, as on a machine without a development certificate: no part asks
// for one, so the dashboard shows no certificate warning (see README, "The Aspire dashboard").
builder.AddProject<Projects.LoadCluster_Collector>("collector")
    .WithoutHttpsCertificate()
    .WithReference(redis).WaitFor(redis);

builder.AddProject<Projects.LoadCluster_Web>("web")
    .WithoutHttpsCertificate()
    .WithReplicas(cluster.Replicas)
    // The front door: DCP's proxy on this port spreads connections over the replicas and skips a dead one.
    .WithHttpEndpoint(port: cluster.Port, name: "http")
    .WithHttpHealthCheck("/health")
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Turbo__SigningKey", signingKey);

var expected = new Dictionary<string, int> { ["collector"] = 1, ["web"] = cluster.Replicas };
if (redisServer is not null) expected[redisServer] = 1;
builder.Services.AddSingleton(new ClusterBanner.Expected(expected, cluster.Port));
builder.Services.AddHostedService<ClusterBanner>();

await builder.Build().RunAsync();
return 0;
