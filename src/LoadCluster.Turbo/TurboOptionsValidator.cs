using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Refuses a configuration that would run insecurely or not at all, naming the setting to fix.</summary>
internal sealed class TurboOptionsValidator(IHostEnvironment environment) : IValidateOptions<TurboOptions>
{
    internal const int MinimumKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, TurboOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            if (!environment.IsDevelopment())
                failures.Add($"Turbo:SigningKey is not set. Set it (environment variable Turbo__SigningKey) to a random secret of at least {MinimumKeyLength} characters, the same on every replica.");
        }
        else if (options.SigningKey.Length < MinimumKeyLength)
        {
            failures.Add($"Turbo:SigningKey is {options.SigningKey.Length} characters long; use a random secret of at least {MinimumKeyLength} characters (environment variable Turbo__SigningKey).");
        }

        CheckRoute(options.WebSocketRoute, nameof(TurboOptions.WebSocketRoute), failures);
        CheckRoute(options.EventStreamRoute, nameof(TurboOptions.EventStreamRoute), failures);
        CheckRoute(options.SocketRoute, nameof(TurboOptions.SocketRoute), failures);

        foreach (var origin in options.AllowedOrigins ?? [])
        {
            if (!TurboOrigin.TryNormalize(origin, out _))
                failures.Add($"Turbo:AllowedOrigins contains '{origin}', which is not an origin; write it as scheme://host[:port], e.g. https://example.com.");
        }

        if (options.CdnBaseUrl is { Length: > 0 } cdn && !Uri.TryCreate(cdn, UriKind.Absolute, out _))
            failures.Add($"Turbo:CdnBaseUrl '{cdn}' is not an absolute URL; write it as https://host/path or leave it empty to serve the scripts from the app.");

        if (options.EventStreamHeartbeat <= TimeSpan.Zero)
            failures.Add("Turbo:EventStreamHeartbeat must be a positive time span, e.g. 00:00:15.");

        if (options.SocketHeartbeat <= TimeSpan.Zero)
            failures.Add("Turbo:SocketHeartbeat must be a positive time span, e.g. 00:00:15.");

        if (options.SlowSubscriberTimeout <= TimeSpan.Zero)
            failures.Add("Turbo:SlowSubscriberTimeout must be a positive time span, e.g. 00:00:05.");

        if (options.MaxSubscriptionsPerConnection < 1)
            failures.Add("Turbo:MaxSubscriptionsPerConnection must be at least 1.");

        if (!(options.HubCallsPerSecond > 0) || double.IsInfinity(options.HubCallsPerSecond))
            failures.Add($"Turbo:HubCallsPerSecond must be a positive number, e.g. 20 (it is {options.HubCallsPerSecond}).");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRoute(string? route, string setting, List<string> failures)
    {
        if (!string.IsNullOrEmpty(route) && !route.StartsWith('/'))
            failures.Add($"Turbo:{setting} '{route}' must start with '/' (or be empty to turn it off).");
    }
}
