using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Caps on long-lived connections, on ASP.NET Core's rate limiter: a concurrency limiter holds its
/// lease until the request ends, and a page socket or event stream request lasts as long as its connection,
/// so the caps free as connections close. Endpoints opt in with <see cref="AsLongLivedConnection"/>.
/// </summary>
internal static class ConnectionLimits
{
    /// <summary>The rate-limiting policy that marks an endpoint as a long-lived connection.</summary>
    public const string PolicyName = "long-lived-connection";

    public static bool IsLongLived(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PolicyName;

    /// <summary>Counts the endpoint's requests against the per-client caps and the replica's ceiling.</summary>
    public static TBuilder AsLongLivedConnection<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PolicyName);

    public static IServiceCollection AddConnectionLimits(this IServiceCollection services)
    {
        services.AddOptions<ConnectionLimitOptions>().BindConfiguration(ConnectionLimitOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectionLimitOptions>, ConnectionLimitOptionsValidator>());
        services.AddRateLimiter(_ => { });
        services.AddSingleton<IConfigureOptions<RateLimiterOptions>, RateLimiterSetup>();
        return services;
    }

    /// <summary>Answers a refused connection: the status, when to try again, and why in plain words.</summary>
    public static ValueTask RefuseAsync(HttpContext context, int status, TimeSpan retryAfter, string why)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return new ValueTask(context.Response.WriteAsync(why, context.RequestAborted));
    }
}
