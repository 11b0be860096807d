using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

internal sealed class ConnectionLimitOptionsValidator : IValidateOptions<ConnectionLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionLimitOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectionsPerClient is < 1 or > 10_000)
            failures.Add($"LoadCluster__Limits__ConnectionsPerClient must be between 1 and 10000 (it is {options.ConnectionsPerClient}).");
        if (options.MaxConnections is < 0 or > 1_000_000)
            failures.Add($"LoadCluster__Limits__MaxConnections must be between 1 and 1000000, or 0 for the default derived from memory (it is {options.MaxConnections}).");
        if (options.RetryAfter < TimeSpan.FromSeconds(1) || options.RetryAfter > TimeSpan.FromHours(1))
            failures.Add($"LoadCluster__Limits__RetryAfter must be between 00:00:01 and 01:00:00 (it is {options.RetryAfter}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
