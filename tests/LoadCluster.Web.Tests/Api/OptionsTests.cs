using LoadCluster.Testing;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Tests.Api;

[Collection(WebAppCollection.Name)]
public sealed class OptionsTests
{
    [Fact]
    public async Task A_bad_replica_id_stops_start_up_naming_the_setting()
    {
        var port = FreePort.Next();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            WebApp.StartAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=500", replica: "web 1/../x"));

        Assert.Contains("LoadCluster__Replica", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LoadCluster:MaxPushesPerSecond", "0", "LoadCluster__MaxPushesPerSecond")]
    [InlineData("LoadCluster:MaxBytesPerSecond", "100", "LoadCluster__MaxBytesPerSecond")]
    [InlineData("LoadCluster:OverviewRows", "2", "LoadCluster__OverviewRows")]
    [InlineData("Turbo:Route", "", "Turbo__Route")]
    public async Task A_bad_push_overview_or_socket_setting_stops_start_up_naming_it(string setting, string value, string env)
    {
        var port = FreePort.Next();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            WebApp.StartAsync($"127.0.0.1:{port},abortConnect=false,connectTimeout=500", settings: new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(env, error.Message, StringComparison.Ordinal);
    }
}
