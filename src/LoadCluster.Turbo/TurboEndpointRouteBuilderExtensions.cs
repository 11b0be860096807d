using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Maps the stream endpoint at the configured route.</summary>
public static partial class TurboEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the stream endpoint at <see cref="TurboOptions.Route"/> (nothing when it is empty): WebSocket
    /// upgrades and Server-Sent Events for Turbo's <c>&lt;turbo-stream-source&gt;</c>. It refuses, with
    /// 403, a request whose Origin is neither the app's own nor allowed. Returns its builder, so
    /// conventions (e.g. RequireAuthorization) apply to it. Logs an error when the library's scripts
    /// are not in the app's web root (run from build output outside Development), where pages would
    /// load empty scripts (MapStaticAssets answers an empty 200) and never go live, silently.
    /// </summary>
    public static IEndpointConventionBuilder MapTurbo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<TurboOptions>>();
        CheckScriptsAreServed(services);
        // A route group, so that an empty route maps nothing yet conventions still have a builder.
        var group = endpoints.MapGroup("");
        if (!string.IsNullOrEmpty(options.Value.Route)) group.MapGet(options.Value.Route, TurboEndpoint.HandleAsync);
        return group;
    }

    private static void CheckScriptsAreServed(IServiceProvider services)
    {
        if (services.GetService<IWebHostEnvironment>() is not { } environment) return;
        var script = TurboPageMarkup.StaticBase.TrimStart('/') + "/" + TurboPageMarkup.ScriptFile;
        if (environment.WebRootFileProvider.GetFileInfo(script).Exists) return;
        LogScriptsMissing(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TurboEndpointRouteBuilderExtensions)), script, environment.EnvironmentName);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "{Script} is not in the web root (environment {Environment}): pages will load empty Turbo scripts and never update. Run the published app (dotnet publish), or, to run from build output outside Development, call builder.WebHost.UseStaticWebAssets() before builder.Build().")]
    private static partial void LogScriptsMissing(ILogger logger, string script, string environment);
}
