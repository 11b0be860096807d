using System.Net;

namespace LoadCluster.Web.Security;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the replica believes, from
/// "LoadCluster:TrustedProxies" (env <c>LoadCluster__TrustedProxies__0</c>, …): addresses or CIDR
/// networks. None by default, loopback included: a header from any other peer is ignored, so a
/// client cannot pick the address its connections are counted under.
/// </summary>
public sealed class TrustedProxiesOptions
{
    public const string SectionName = "LoadCluster";

    public string[] TrustedProxies { get; set; } = [];

    /// <summary>An address is a network of one; false for anything else.</summary>
    public static bool TryParse(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }
        return IPNetwork.TryParse(value, out network);
    }
}
