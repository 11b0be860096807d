using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo;

/// <summary>
/// The bus between nodes: the lifetime manager the app chose for hubs (the last open-generic
/// <c>HubLifetimeManager&lt;&gt;</c> registration: SignalR's in-memory one, or a backplane such as the
/// official Redis one, added before or after AddTurbo) made for <see cref="TurboStreamsHub"/>. Each
/// node's relays are its connections there. It is made here, when first needed, so registration
/// order does not matter, and disposed when the app has stopped rather than with the container:
/// a backplane on a connection the app shares (Redis) must let go of it while that connection is
/// still there, and the container disposes them in no useful order.
/// </summary>
internal sealed class TurboBus : IAsyncDisposable
{
    private int _disposed;

    public TurboBus(IServiceProvider services, IServiceCollection registrations, CancellationToken stopped)
    {
        var descriptor = registrations.LastOrDefault(d => d.ServiceType == typeof(HubLifetimeManager<>) && !d.IsKeyedService);
        var openType = descriptor?.ImplementationType ?? typeof(DefaultHubLifetimeManager<>);
        if (!openType.IsGenericTypeDefinition)
            throw new InvalidOperationException($"HubLifetimeManager<> is registered as {openType}, which is not an open generic type; register the backplane as services.AddSingleton(typeof(HubLifetimeManager<>), typeof(YourManager<>)).");
        Manager = (HubLifetimeManager<TurboStreamsHub>)ActivatorUtilities.CreateInstance(services, openType.MakeGenericType(typeof(TurboStreamsHub)));
        stopped.Register(static bus => _ = ((TurboBus)bus!).DisposeAsync().AsTask(), this);
    }

    public HubLifetimeManager<TurboStreamsHub> Manager { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (Manager is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else (Manager as IDisposable)?.Dispose();
    }
}
