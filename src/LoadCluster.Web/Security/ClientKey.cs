using System.Net;
using System.Net.Sockets;
using System.Security.Claims;

namespace LoadCluster.Web.Security;

/// <summary>
/// Whom a connection counts against: the signed-in user (the id SignalR pushes to), else the client
/// address as the forwarded-headers middleware left it (a trusted proxy's X-Forwarded-For, or the peer).
/// </summary>
internal static class ClientKey
{
    public static string Of(HttpContext context)
    {
        if (context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } user) return "user:" + user;
        return "addr:" + Network(context.Connection.RemoteIpAddress);
    }

    // An IPv6 client holds a whole /64 and may pick any address in it, so that is what counts.
    private static string Network(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
