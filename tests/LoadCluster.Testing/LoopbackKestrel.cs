using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Testing;

/// <summary>Where a test server started on port 0 (a free one) really listens.</summary>
public static class LoopbackKestrel
{
    /// <summary>The address Kestrel bound, with a trailing slash, so <c>new Uri(address, "hub")</c> works.</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no address yet: start it first.");
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }
}
