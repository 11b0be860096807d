using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>Refuses a sign-in configuration that cannot work, naming the environment variable to fix.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (!string.Equals(options.Mode, AuthOptions.NoneMode, StringComparison.OrdinalIgnoreCase) && !options.IsOidc)
            failures.Add($"LoadCluster__Auth__Mode is '{options.Mode}': set it to 'oidc' (sign-in with OpenID Connect) or 'none' (no sign-in, the default).");
        if (!options.IsOidc) return Result(failures);

        if (string.IsNullOrWhiteSpace(options.Authority))
            failures.Add("LoadCluster__Auth__Authority is not set: set it to the OpenID Connect provider's issuer URL, e.g. https://login.example.com/realms/ops.");
        else if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            failures.Add($"LoadCluster__Auth__Authority '{options.Authority}' is not an absolute http(s) URL; write it as https://host/path.");
        else if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            failures.Add($"LoadCluster__Auth__Authority '{options.Authority}' is plain http: use the provider's https URL (set LoadCluster__Auth__RequireHttpsMetadata=false only for a provider on this machine).");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            failures.Add("LoadCluster__Auth__ClientId is not set: set it to the client id registered for LoadCluster at the provider.");
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
            failures.Add("LoadCluster__Auth__ClientSecret is not set: set it to that client's secret (LoadCluster is a confidential client).");
        if (string.IsNullOrWhiteSpace(options.RequiredClaim) != (options.RequiredValues.Length == 0))
            failures.Add("LoadCluster__Auth__RequiredClaim and LoadCluster__Auth__RequiredClaimValues__0 go together: name the claim (e.g. groups) and at least one value (e.g. fleet-viewers), or neither.");
        if (options.Scopes.Any(s => s.Trim().Any(char.IsWhiteSpace)))
            failures.Add("LoadCluster__Auth__Scopes contains a value with spaces: give one scope per entry (LoadCluster__Auth__Scopes__0=groups).");
        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(30))
            failures.Add($"LoadCluster__Auth__SessionLifetime must be between 00:01:00 and 30.00:00:00 (it is {options.SessionLifetime}).");
        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
