using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Maps the hub and the event stream at the configured routes.</summary>
public static class TurboEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <see cref="TurboStreamsHub"/> at <see cref="TurboOptions.WebSocketRoute"/>, the event
    /// stream at <see cref="TurboOptions.EventStreamRoute"/> and the socket endpoint at
    /// <see cref="TurboOptions.SocketRoute"/> (each skipped when its route is empty).
    /// All refuse, with 403, a request whose Origin is neither the app's own nor allowed.
    /// Returns a builder whose conventions (e.g. RequireAuthorization) apply to every endpoint mapped.
    /// </summary>
    public static IEndpointConventionBuilder MapTurbo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var optionsAccessor = endpoints.ServiceProvider.GetRequiredService<IOptions<TurboOptions>>();
        var options = optionsAccessor.Value;
        if (endpoints.ServiceProvider.GetRequiredService<HubLifetimeManager<TurboStreamsHub>>() is not TurboHubLifetimeManager)
            throw new InvalidOperationException("HubLifetimeManager<TurboStreamsHub> was replaced after AddTurbo(); register a backplane for all hubs (open generic HubLifetimeManager<>) instead, so Turbo can wrap it.");

        var builders = new List<IEndpointConventionBuilder>();
        if (!string.IsNullOrEmpty(options.WebSocketRoute))
            builders.Add(endpoints.MapHub<TurboStreamsHub>(options.WebSocketRoute));
        if (!string.IsNullOrEmpty(options.EventStreamRoute))
            builders.Add(endpoints.MapGet(options.EventStreamRoute, EventStreamEndpoint.HandleAsync));
        if (!string.IsNullOrEmpty(options.SocketRoute))
            builders.Add(endpoints.MapGet(options.SocketRoute, TurboSocketEndpoint.HandleAsync));

        var conventions = new CompositeConventionBuilder(builders);
        conventions.Add(endpoint =>
        {
            var next = endpoint.RequestDelegate ?? throw new InvalidOperationException($"Endpoint {endpoint.DisplayName} has no request delegate to guard.");
            endpoint.RequestDelegate = context =>
            {
                if (!TurboOrigin.IsAllowed(context.Request, optionsAccessor)) return RefuseAsync(context);
                context.Items[HtmlTurboRenderer.LongLivedRequestKey] = true;
                return next(context);
            };
        });
        return conventions;
    }

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync("Origin not allowed: add it to Turbo:AllowedOrigins to let pages from it connect.", context.RequestAborted);
    }
}
