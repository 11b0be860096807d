using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>Refuses a configuration that would run insecurely or not at all, naming the setting to fix.</summary>
internal sealed class TurboOptionsValidator(IHostEnvironment environment) : IValidateOptions<TurboOptions>
{
    internal const int MinimumKeyLength = 32;

    private const int MinimumQueueBytes = 16 * 1024;

    public ValidateOptionsResult Validate(string? name, TurboOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey) && !environment.IsDevelopment())
            failures.Add($"Turbo:SigningKey is not set. Set it (environment variable Turbo__SigningKey) to a random secret of at least {MinimumKeyLength} characters, the same on every replica.");
        if (options.SigningKey is { Length: > 0 and < MinimumKeyLength } key)
            failures.Add($"Turbo:SigningKey is {key.Length} characters long; use a random secret of at least {MinimumKeyLength} characters (environment variable Turbo__SigningKey).");
        if (!string.IsNullOrEmpty(options.Route) && !options.Route.StartsWith('/'))
            failures.Add($"Turbo:Route '{options.Route}' must start with '/' (or be empty to turn the stream endpoint off).");
        foreach (var origin in (options.AllowedOrigins ?? []).Where(origin => !TurboOrigin.TryNormalize(origin, out _)))
            failures.Add($"Turbo:AllowedOrigins contains '{origin}', which is not an origin; write it as scheme://host[:port], e.g. https://example.com.");
        if (options.CdnBaseUrl is { Length: > 0 } cdn && !Uri.TryCreate(cdn, UriKind.Absolute, out _))
            failures.Add($"Turbo:CdnBaseUrl '{cdn}' is not an absolute URL; write it as https://host/path or leave it empty to serve Turbo from the app.");
        if (options.Heartbeat <= TimeSpan.Zero)
            failures.Add("Turbo:Heartbeat must be a positive time span, e.g. 00:00:15.");
        if (options.SlowClientTimeout <= TimeSpan.Zero)
            failures.Add("Turbo:SlowClientTimeout must be a positive time span, e.g. 00:00:30.");
        if (options.SlowClientQueueBytes < MinimumQueueBytes)
            failures.Add($"Turbo:SlowClientQueueBytes must be at least {MinimumQueueBytes} (it is {options.SlowClientQueueBytes}); the default is 1048576.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
