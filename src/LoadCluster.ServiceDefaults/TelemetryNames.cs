namespace LoadCluster.ServiceDefaults;

/// <summary>
/// The meters and activity sources every service exports. Each service owns its own meter named
/// <c>LoadCluster.&lt;Service&gt;</c>; the wildcard picks it up without ServiceDefaults knowing it.
/// </summary>
public static class TelemetryNames
{
    public static readonly IReadOnlyList<string> Meters =
    [
        "LoadCluster*",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "System.Net.Http",
    ];

    public static readonly IReadOnlyList<string> ActivitySources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "LoadCluster*",
    ];

    /// <summary>The variable that switches OTLP export on (the same one Aspire sets).</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
}
