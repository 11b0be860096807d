using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;
using LoadCluster.SignalR.Redis;
using LoadCluster.Turbo;
using LoadCluster.Web.Api;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components;
using LoadCluster.Web.Relay;
using LoadCluster.Web.Streams;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LoadCluster.Web;

/// <summary>The load board's wiring: services in <see cref="AddLoadBoard"/>, endpoints in <see cref="MapLoadBoard"/>.</summary>
public static class LoadBoardExtensions
{
    /// <summary>
    /// Adds the board (state, relay, cluster registry), Razor components (static rendering only),
    /// Turbo with the Redis backplane on the same Redis as <c>ConnectionStrings:redis</c>. Expects
    /// <c>AddServiceDefaults()</c> and <c>AddRedis()</c> first.
    /// </summary>
    public static WebApplicationBuilder AddLoadBoard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Serves _content/LoadCluster.Turbo/* when run from build output in any environment (the
        // AppHost starts replicas from bin/ in Production); a no-op for a published app.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddOptions<LoadBoardOptions>().BindConfiguration(LoadBoardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var names = RedisNames.FromConfiguration(builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(names);
        services.AddSingleton<HostBoard>();
        services.AddSingleton<LoadBoardFragments>();
        services.AddSingleton<PushContext>();
        services.AddSingleton<PushScheduler>();
        services.AddSingleton<LongHistoryReader>();
        services.AddSingleton<SampleFeed>();
        services.AddSingleton<WebMetrics>();
        services.AddSingleton<ClusterRegistry>();
        services.AddHostedService<HostBoardLoader>();
        services.AddHostedService<SampleRelay>();
        services.AddHostedService<HostStateWatcher>();
        services.AddHostedService<ReplicaHeartbeat>();

        services.AddRazorComponents();
        var redis = RedisConnectionFactory.ReadOptions(builder.Configuration).ToString(includePassword: true);
        services.AddTurbo().AddRedisBackplane(o =>
        {
            o.Configuration = redis;
            o.ChannelPrefix = names.Prefix;
        });
        services.AddTurboStreamState<LoadBoardStreamState>();
        return builder;
    }

    /// <summary>Maps static files, the Turbo hub, the pages and the JSON API.</summary>
    public static WebApplication MapLoadBoard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapTurbo();
        app.MapRazorComponents<App>();
        app.MapLoadBoardApi();
        return app;
    }
}
