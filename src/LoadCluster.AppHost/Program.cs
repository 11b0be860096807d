using LoadCluster.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
try
{
    var cluster = ClusterArguments.Read(builder.Configuration);
    StartChecks.Ensure(cluster, builder.Configuration);
    var (redis, redisServer) = builder.AddClusterRedis(cluster, Console.Out);

    // One random key per run, the same on every replica; set Parameters:turbo-signing-key to choose it.
    var signingKey = builder.AddParameter("turbo-signing-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true);

    // Plain http between the parts, as on a machine without a development certificate: no part asks
    // for one, so the dashboard shows no certificate warning (README, "The AppHost and the Aspire dashboard").
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

    // Off unless --simulate N: the dashboard's Start command runs it.
    builder.AddClusterSimulator(cluster, redis);

    ClusterBanner.AddTo(builder, cluster, redisServer);
}
catch (ClusterStartException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 2;
}

await builder.Build().RunAsync();
return 0;
