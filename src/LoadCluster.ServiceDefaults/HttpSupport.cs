using System.Diagnostics.CodeAnalysis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Whether the service makes or serves HTTP requests: on unless its project turns the
/// <see cref="Switch"/> off. A service that talks only to Redis (the collector) turns it off, and
/// ServiceDefaults then leaves out service discovery, the HttpClient resilience handler and the
/// ASP.NET Core and HttpClient instrumentation, which it would never run. As a trimming feature switch
/// it takes that code out of a Native AOT executable too (README, "Footprint"):
/// <c>&lt;RuntimeHostConfigurationOption Include="LoadCluster.ServiceDefaults.Http" Value="false" Trim="true" /&gt;</c>.
/// </summary>
internal static class HttpSupport
{
    public const string Switch = "LoadCluster.ServiceDefaults.Http";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsEnabled => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
