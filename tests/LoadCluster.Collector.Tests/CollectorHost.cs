using LoadCluster.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Collector.Tests;

/// <summary>Builds the Collector's host in-process, wired as Program.cs wires it, with test settings.</summary>
internal static class CollectorHost
{
    public static IHost Build(string redis, string host, string prefix, LogCollector logs, string procPath = "/proc",
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "LoadCluster.Collector" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["LoadCluster:Prefix"] = prefix,
            ["Collector:Host"] = host,
            ["Collector:Interval"] = "00:00:00.200",
            ["Collector:ProcPath"] = procPath,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.AddServiceDefaults().AddCollector();
        return builder.Build();
    }
}
