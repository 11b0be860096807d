using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Registers the Turbo library: Turbo-Flask's <c>Turbo(app)</c>.</summary>
public static class TurboServiceCollectionExtensions
{
    /// <summary>
    /// Adds signing, rendering (with Razor components' services), the push API and the stream
    /// endpoint's services, with <see cref="TurboOptions"/> bound from the "Turbo" section and
    /// validated at start-up. Returns the SignalR builder, so a backplane can be chained (its
    /// lifetime manager is the bus between nodes, picked up whatever the order).
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITurboPush, TurboPush>();
        services.TryAddSingleton<TurboRelays>();
        services.TryAddSingleton<TurboTelemetry>();
        services.TryAddSingleton(sp => new TurboBus(sp, services, sp.GetService<IHostApplicationLifetime>()?.ApplicationStopped ?? default));
        return services.AddSignalR();
    }

    /// <summary>Registers the source of streams' current state, sent to each client first when it subscribes.</summary>
    public static IServiceCollection AddTurboStreamState<TState>(this IServiceCollection services) where TState : class, ITurboStreamState
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Replace(ServiceDescriptor.Scoped<ITurboStreamState, TState>());
    }
}
