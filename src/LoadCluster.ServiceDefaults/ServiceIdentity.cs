using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Who this process is, for telemetry resource attributes and logs: <c>service.name</c> from
/// <c>OTEL_SERVICE_NAME</c> (the variable Aspire sets) or the application name, and
/// <c>service.instance.id</c> from <c>LoadCluster:Replica</c> or machine name + pid.
/// </summary>
public sealed record ServiceIdentity(string ServiceName, string InstanceId, string Version)
{
    public const string ReplicaSetting = "LoadCluster:Replica";

    public static ServiceIdentity From(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var name = configuration["OTEL_SERVICE_NAME"];
        var replica = configuration[ReplicaSetting];
        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";
        return new ServiceIdentity(
            string.IsNullOrWhiteSpace(name) ? environment.ApplicationName : name,
            string.IsNullOrWhiteSpace(replica) ? $"{Environment.MachineName}-{Environment.ProcessId}" : replica,
            version);
    }
}
