using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;
using LoadCluster.Turbo;
using LoadCluster.Web.Api;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components;
using LoadCluster.Web.Redis;
using LoadCluster.Web.Relay;
using LoadCluster.Web.Security;
using LoadCluster.Web.Streams;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace LoadCluster.Web;

/// <summary>The load board's wiring: services in <see cref="AddLoadBoard"/>, endpoints in <see cref="MapLoadBoard"/>.</summary>
public static class LoadBoardExtensions
{
    /// <summary>
    /// Adds the shared Redis connection ("redis"), the board (state, relay, cluster registry),
    /// Razor components (static rendering only), and Turbo with the official SignalR Redis
    /// backplane on that same connection. Expects <c>AddServiceDefaults()</c> first.
    /// </summary>
    public static WebApplicationBuilder AddLoadBoard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Serves _content/LoadCluster.Turbo/* when run from build output in any environment (the
        // AppHost starts replicas from bin/ in Production); a no-op for a published app.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddOptions<LoadBoardOptions>().BindConfiguration(LoadBoardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            // Unset, the replica is named as ServiceDefaults names it (its Aspire name when Aspire runs it).
            .PostConfigure<ServiceIdentity>((board, identity) => board.Replica = string.IsNullOrEmpty(board.Replica) ? identity.Replica : board.Replica);
        var names = RedisNames.FromConfiguration(builder.Configuration);
        builder.AddClusterRedis("redis", names.ChannelPrefix);
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
        services.AddSingleton<HostsIndex>();
        services.AddHostedService(provider => provider.GetRequiredService<HostsIndex>());
        services.AddHostedService<SampleRelay>();
        services.AddHostedService<HostStateWatcher>();
        services.AddHostedService<ReplicaHeartbeat>();
        services.AddSingleton<SubscriptionProbe>();
        services.AddHostedService(provider => provider.GetRequiredService<SubscriptionProbe>());
        services.AddHealthChecks().AddCheck<SubscriptionProbe>("redis-subscription");

        services.AddRazorComponents();
        services.AddTurbo().AddStackExchangeRedis();
        // The pages listen on the socket endpoint: without it every page would fail to render.
        services.AddOptions<TurboOptions>()
            .Validate(turbo => !string.IsNullOrEmpty(turbo.SocketRoute),
                "Turbo__SocketRoute is empty, but the board's pages listen on the socket endpoint: leave it unset (/turbo-stream/socket) or set a route such as /turbo-stream/socket.")
            .ValidateOnStart();
        services.AddOptions<RedisOptions>().Configure<IServiceProvider>((backplane, provider) =>
            backplane.ConnectionFactory = _ => BackplaneConnection.SharedAsync(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddTurboStreamState<LoadBoardStreamState>();
        builder.AddFrontDoor();
        return builder;
    }

    /// <summary>Maps static files, the Turbo hub, the pages and the JSON API, behind the front door (Security/).</summary>
    public static WebApplication MapLoadBoard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseFrontDoor();
        app.UseStaticFiles();
        app.UseViewerAccess();
        app.UseAntiforgery();
        app.MapTurbo().AsLongLivedConnection();
        app.MapRazorComponents<App>();
        app.MapLoadBoardApi();
        app.MapViewerSignIn();
        return app;
    }
}
