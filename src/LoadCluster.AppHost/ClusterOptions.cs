namespace LoadCluster.AppHost;

/// <summary>What <see cref="Cluster.StartAsync"/> starts, and where it reports.</summary>
public sealed class ClusterOptions
{
    public const int DefaultReplicas = 3;
    public const int DefaultPort = 8080;
    public const int MaxReplicas = 64;

    /// <summary>Number of web replicas behind nginx.</summary>
    public int Replicas { get; init; } = DefaultReplicas;

    /// <summary>Port of the front door (nginx) on 127.0.0.1.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>An existing Redis (StackExchange.Redis configuration string); null starts a redis-server.</summary>
    public string? RedisConnectionString { get; init; }

    /// <summary>Host name the collector reports; default the machine name.</summary>
    public string CollectorHost { get; init; } = System.Environment.MachineName;

    /// <summary>
    /// Extra environment for every child, applied last (e.g. <c>Collector__Interval</c>). Children
    /// also inherit the launcher's own environment, so settings such as <c>LoadCluster__Prefix</c>
    /// or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pass through.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where children's prefixed output and the launcher's own messages go.</summary>
    public TextWriter Output { get; init; } = Console.Out;

    /// <summary>Colour the child name prefixes (ANSI); off when output is redirected.</summary>
    public bool Colour { get; init; }

    /// <summary>How long each resource may take to become healthy at start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The folder holding LoadCluster.sln; null finds it above the launcher's own folder.</summary>
    public string? SolutionDirectory { get; init; }

    /// <summary>Reads the settings the launcher takes from its environment (<c>ConnectionStrings__redis</c>, <c>Collector__Host</c>).</summary>
    public static ClusterOptions FromEnvironment(int replicas, int port, TextWriter output, bool colour)
    {
        var redis = System.Environment.GetEnvironmentVariable("ConnectionStrings__redis");
        var host = System.Environment.GetEnvironmentVariable("Collector__Host");
        return new ClusterOptions
        {
            Replicas = replicas,
            Port = port,
            RedisConnectionString = string.IsNullOrWhiteSpace(redis) ? null : redis,
            CollectorHost = string.IsNullOrWhiteSpace(host) ? System.Environment.MachineName : host,
            Output = output,
            Colour = colour,
        };
    }
}
