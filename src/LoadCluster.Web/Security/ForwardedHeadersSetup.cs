using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Believes <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> only from the configured proxies.
/// ASP.NET Core trusts loopback by default; that is cleared, because the address a connection is
/// counted under must not be one the client wrote. One hop only: the proxy sets the header itself.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<TrustedProxiesOptions> proxies) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        // With no known proxy or network at all the middleware believes every peer, so no trusted
        // proxy means reading no forwarded header.
        options.ForwardedHeaders = proxies.Value.TrustedProxies.Length == 0
            ? ForwardedHeaders.None
            : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.Value.TrustedProxies)
        {
            if (TrustedProxiesOptions.TryParse(proxy, out var network)) options.KnownIPNetworks.Add(network);
        }
    }
}
