using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Who this process is. <c>service.name</c> comes from <c>OTEL_SERVICE_NAME</c> (the variable
/// Aspire sets) or the application name. The replica is <c>LoadCluster:Replica</c> when set;
/// under Aspire it is the replica's name there (<c>web-qpayavmh</c>: the service name and the
/// <c>service.instance.id</c> Aspire gives it in <c>OTEL_RESOURCE_ATTRIBUTES</c>), so the board, the
/// dashboard and the telemetry name a replica alike; otherwise machine name + pid.
/// </summary>
/// <param name="InstanceId">The <c>service.instance.id</c> telemetry carries.</param>
/// <param name="Replica">The replica's name in logs, on the board and in the cluster registry.</param>
public sealed record ServiceIdentity(string ServiceName, string InstanceId, string Replica, string Version)
{
    public const string ReplicaSetting = "LoadCluster:Replica";

    public static ServiceIdentity From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : environment.ApplicationName;
        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";
        if (configuration[ReplicaSetting] is { Length: > 0 } replica) return new ServiceIdentity(name, replica, replica, version);
        if (AspireInstanceId(configuration["OTEL_RESOURCE_ATTRIBUTES"]) is { } instance) return new ServiceIdentity(name, instance, $"{name}-{instance}", version);
        var own = $"{Environment.MachineName}-{Environment.ProcessId}";
        return new ServiceIdentity(name, own, own, version);
    }

    // OTEL_RESOURCE_ATTRIBUTES is "key=value,key=value" (values percent-encoded).
    private static string? AspireInstanceId(string? attributes) =>
        attributes?.Split(',').Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim() == "service.instance.id")
            .Select(kv => Uri.UnescapeDataString(kv[1].Trim()))
            .FirstOrDefault(id => id.Length > 0);
}
