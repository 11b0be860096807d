using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

internal sealed class TrustedProxiesOptionsValidator : IValidateOptions<TrustedProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions options)
    {
        var bad = options.TrustedProxies.Where(p => !TrustedProxiesOptions.TryParse(p, out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(bad.Select(p => $"LoadCluster__TrustedProxies contains '{p}', which is neither an IP address nor a CIDR network; write e.g. 10.0.0.5 or 172.16.0.0/12."));
    }
}
