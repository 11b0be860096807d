using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.Benchmarks;

/// <summary>Clients only listen; the benchmark broadcasts through the hub context.</summary>
public sealed class BenchHub : Hub;
