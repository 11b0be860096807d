using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo;

/// <summary>
/// Finds the lifetime manager the app chose for hubs in general (the last open-generic
/// <c>HubLifetimeManager&lt;&gt;</c> registration: SignalR's default, or a backplane added after
/// AddTurbo) and creates it for <see cref="TurboStreamsHub"/>. It runs when the container first
/// needs the manager, after every registration is done, so registration order does not matter.
/// </summary>
internal static class InnerLifetimeManager
{
    public static HubLifetimeManager<TurboStreamsHub> Create(IServiceProvider services, IServiceCollection registrations)
    {
        var descriptor = registrations.LastOrDefault(d => d.ServiceType == typeof(HubLifetimeManager<>) && !d.IsKeyedService);
        var openType = descriptor?.ImplementationType ?? typeof(DefaultHubLifetimeManager<>);
        if (!openType.IsGenericTypeDefinition)
            throw new InvalidOperationException($"HubLifetimeManager<> is registered as {openType}, which is not an open generic type; register the backplane as services.AddSingleton(typeof(HubLifetimeManager<>), typeof(YourManager<>)).");
        var type = openType.MakeGenericType(typeof(TurboStreamsHub));
        return (HubLifetimeManager<TurboStreamsHub>)ActivatorUtilities.CreateInstance(services, type);
    }
}
