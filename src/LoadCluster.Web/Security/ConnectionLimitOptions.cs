namespace LoadCluster.Web.Security;

/// <summary>
/// Caps on long-lived connections (<c>/turbo-stream</c> and <c>/api/samples/stream</c> together), bound from "LoadCluster:Limits" (env <c>LoadCluster__Limits__*</c>). Counted on each
/// replica, as Centrifugo counts per node: a replica never waits on Redis to accept a connection.
/// </summary>
public sealed class ConnectionLimitOptions
{
    public const string SectionName = "LoadCluster:Limits";

    /// <summary>
    /// Memory one idle long-lived connection holds on a replica. The pages listen on Turbo's stream
    /// endpoint; measured with <c>dotnet run -c Release --project bench/LoadCluster.Benchmarks -- peer --stacks web</c>
    /// (a real Web replica in its own process, on workstation GC as it runs, its resident set over 10,000
    /// and 15,000 idle page sockets) on 2 cores, .NET 10: about 20 KB (see the README). Rounded up to
    /// 32 KB, so a client that opens event streams instead still finds the ceiling within the memory
    /// the runtime may use. The default ceiling is derived from it.
    /// </summary>
    public const long MeasuredBytesPerConnection = 32 * 1024;

    /// <summary>The share of the memory available to the process that connections may take by default.</summary>
    public const double MemoryShareForConnections = 0.5;

    /// <summary>
    /// Concurrent long-lived connections per signed-in user, or per client address when anonymous, on
    /// one replica. A tab holds one (two briefly while it reconnects), so 8 lets a few tabs watch.
    /// </summary>
    public int ConnectionsPerClient { get; set; } = 8;

    /// <summary>Long-lived connections one replica takes in all; 0 (the default) derives it from the memory available (<see cref="DefaultMaxConnections"/>).</summary>
    public int MaxConnections { get; set; }

    /// <summary>What 429 and 503 answers tell the client to wait, in <c>Retry-After</c>.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The ceiling in force: <see cref="MaxConnections"/>, or the default.</summary>
    public int EffectiveMaxConnections => MaxConnections > 0 ? MaxConnections : DefaultMaxConnections(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>
    /// Half the memory the runtime may use (in a container, .NET's heap limit: 75% of the container's) over the measured
    /// memory per connection: a replica full of connections still has the other half for rendering.
    /// </summary>
    public static int DefaultMaxConnections(long availableBytes) =>
        (int)Math.Clamp(availableBytes * MemoryShareForConnections / MeasuredBytesPerConnection, 100, 1_000_000);
}
