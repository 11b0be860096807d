using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace LoadCluster.AppHost;

/// <summary>
/// What would make the start fail later with an error buried in DCP's output, checked first so
/// the console says it in one line: a port that another process holds.
/// </summary>
internal static class StartChecks
{
    /// <exception cref="ClusterStartException">A port is taken; the message says which and how to fix it.</exception>
    public static void Ensure(ClusterArguments cluster, IConfiguration configuration)
    {
        if (IsBusy(cluster.Port)) throw new ClusterStartException($"port {cluster.Port} is in use by another process: stop it, or choose another with --port.");
        if (DashboardPort(configuration) is { } dashboard && IsBusy(dashboard))
            throw new ClusterStartException($"port {dashboard} of the Aspire dashboard (ASPNETCORE_URLS) is in use by another process: stop it (another AppHost?), or set ASPNETCORE_URLS to another port.");
    }

    private static int? DashboardPort(IConfiguration configuration) => DashboardUrl(configuration)?.Port;

    /// <summary>The dashboard's address: the first absolute URL in ASPNETCORE_URLS (the AppHost's launch settings set it).</summary>
    internal static Uri? DashboardUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';').Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null).FirstOrDefault(u => u is { Port: > 0 });

    private static bool IsBusy(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
