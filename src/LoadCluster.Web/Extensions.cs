using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;
using LoadCluster.Turbo;
using LoadCluster.Web.Api;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components;
using LoadCluster.Web.Live;
using LoadCluster.Web.Overview;
using LoadCluster.Web.Redis;
using LoadCluster.Web.Security;
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
        services.AddSingleton<WebMetrics>();
        // Board: the state and what changes it.
        services.AddSingleton<HostBoard>();
        services.AddSingleton<LongHistoryReader>();
        services.AddSingleton<SampleFeed>();
        services.AddSingleton<SampleSubscription>();
        services.AddSingleton<HostsIndex>();
        services.AddHostedService(provider => provider.GetRequiredService<HostsIndex>());
        services.AddHostedService<SampleRelay>();
        services.AddHostedService<HostBoardLoader>();
        services.AddHostedService<HostStateWatcher>();
        services.AddSingleton<ClusterRegistry>();
        services.AddHostedService<ReplicaHeartbeat>();
        // Overview: the views, for the pages and the live streams alike.
        services.AddSingleton<OverviewViews>();
        // Live: the streams, pushed through one gate each.
        services.AddSingleton<LiveFragments>();
        services.AddSingleton<PushGates>();
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<SubscriptionProbe>();
        services.AddHostedService(provider => provider.GetRequiredService<SubscriptionProbe>());
        services.AddHealthChecks().AddCheck<SubscriptionProbe>("redis-subscription");

        services.AddRazorComponents();
        services.AddTurbo().AddStackExchangeRedis();
        // The pages listen on the stream endpoint: without it every page would fail to render.
        services.AddOptions<TurboOptions>()
            .Validate(turbo => !string.IsNullOrEmpty(turbo.Route),
                "Turbo__Route is empty, but the board's pages listen on the stream endpoint: leave it unset (/turbo-stream) or set a route such as /turbo-stream.")
            .ValidateOnStart();
        services.AddOptions<RedisOptions>().Configure<IServiceProvider>((backplane, provider) =>
            backplane.ConnectionFactory = _ => BackplaneConnection.SharedAsync(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddTurboStreamState<LiveStreamState>();
        builder.AddFrontDoor();
        return builder;
    }

    /// <summary>Maps static files, the stream endpoint, the pages (GET and HEAD) and the JSON API, behind the front door (Security/).</summary>
    public static WebApplication MapLoadBoard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseFrontDoor();
        app.UseStaticFiles();
        app.UseViewerAccess();
        app.UseAntiforgery();
        app.MapTurbo().AsLongLivedConnection();
        app.MapRazorComponents<App>().AnswerHead();
        app.MapLoadBoardApi();
        app.MapViewerSignIn();
        return app;
    }

    /// <summary>
    /// Razor component endpoints take GET and POST; a HEAD (link checkers, uptime probes) got 405.
    /// It is a GET whose body Kestrel does not send, so a page answers it with the GET's status and headers.
    /// </summary>
    private static void AnswerHead(this RazorComponentsEndpointConventionBuilder pages) => pages.Add(endpoint =>
    {
        if (endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault() is { } methods && methods.HttpMethods.Contains(HttpMethods.Get))
            endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head]));
    });
}
