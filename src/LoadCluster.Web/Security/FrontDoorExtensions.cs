using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Who may watch and how much: optional sign-in, shared data-protection keys, caps on long-lived
/// connections, forwarded headers from trusted proxies only, and the security headers.
/// </summary>
public static class FrontDoorExtensions
{
    public static WebApplicationBuilder AddFrontDoor(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.AddViewerSignIn();
        services.AddSharedDataProtection(builder.Configuration);
        services.AddConnectionLimits();
        services.AddOptions<TrustedProxiesOptions>().BindConfiguration(TrustedProxiesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesOptionsValidator>());
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSingleton<SessionConnections>();
        services.AddSingleton<SignOutBroadcast>();
        services.AddHostedService(provider => provider.GetRequiredService<SignOutBroadcast>());
        return builder;
    }

    /// <summary>First in the pipeline: the client's real address and scheme, and the headers every response carries.</summary>
    public static WebApplication UseFrontDoor(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        return app;
    }

    /// <summary>After static files: who is asking, whether they may, and whether they may open one more connection.</summary>
    public static WebApplication UseViewerAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var sessions = app.Services.GetRequiredService<SessionConnections>();
        app.Use(next => context => sessions.TrackAsync(context, next));
        return app;
    }
}
