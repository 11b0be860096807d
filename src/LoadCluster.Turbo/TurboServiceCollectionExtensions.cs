using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Registers the Turbo library: Turbo-Flask's <c>Turbo(app)</c>.</summary>
public static class TurboServiceCollectionExtensions
{
    /// <summary>Largest message a browser may send to the hub: subscribe calls are tiny.</summary>
    private const int MaximumReceiveMessageSize = 32 * 1024;

    /// <summary>
    /// Adds the stream builder's services, signing, rendering (with Razor components' services), the push API and the hub, with
    /// <see cref="TurboOptions"/> bound from the "Turbo" section and validated at start-up.
    /// Returns the SignalR builder, so a backplane can be chained (it is picked up whatever the order).
    /// </summary>
    public static ISignalRServerBuilder AddTurbo(this IServiceCollection services, Action<TurboOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TurboOptions>().BindConfiguration(TurboOptions.SectionName).ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TurboOptions>, TurboOptionsValidator>());

        services.TryAddSingleton<ITurboStreamNameSigner, HmacStreamNameSigner>();
        // The renderer renders with the current request when there is one (its anti-forgery token,
        // user, navigation), through the component services AddRazorComponents registers.
        services.AddHttpContextAccessor();
        services.AddRazorComponents();
        services.TryAddSingleton<ITurboRenderer, HtmlTurboRenderer>();
        services.TryAddSingleton<ITurboPush, TurboPush>();
        services.TryAddSingleton<LocalSubscriptions>();
        services.TryAddSingleton<TurboSockets>();
        services.TryAddSingleton<HubCallRateLimiter>();
        services.TryAddSingleton<HubLifetimeManager<TurboStreamsHub>>(sp =>
            new TurboHubLifetimeManager(InnerLifetimeManager.Create(sp, services), sp.GetRequiredService<LocalSubscriptions>(),
                sp.GetService<IHostApplicationLifetime>()?.ApplicationStopped ?? default));
        // The hub's constructor is internal (its dependencies are), so the container builds it.
        services.TryAddTransient(sp => new TurboStreamsHub(
            sp.GetRequiredService<ITurboStreamNameSigner>(),
            sp.GetRequiredService<LocalSubscriptions>(),
            sp.GetRequiredService<IOptions<TurboOptions>>(),
            sp.GetService<ITurboStreamState>(),
            sp.GetRequiredService<ILogger<TurboStreamsHub>>()));

        return services.AddSignalR()
            .AddHubOptions<TurboStreamsHub>(hub =>
            {
                hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                hub.AddFilter<HubCallRateLimiter>();
            });
    }

    /// <summary>Registers the source of streams' current state, sent to each client first when it subscribes.</summary>
    public static IServiceCollection AddTurboStreamState<TState>(this IServiceCollection services) where TState : class, ITurboStreamState
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<ITurboStreamState>();
        services.AddScoped<ITurboStreamState, TState>();
        return services;
    }
}
