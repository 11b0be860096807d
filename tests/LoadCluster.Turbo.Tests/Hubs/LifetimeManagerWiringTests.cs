using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace LoadCluster.Turbo.Tests.Hubs;

public sealed class LifetimeManagerWiringTests
{
    [Fact]
    public async Task Without_a_backplane_the_hub_uses_SignalR_s_in_memory_manager()
    {
        await using var services = Services(_ => { });
        var manager = Assert.IsType<TurboHubLifetimeManager>(services.GetRequiredService<HubLifetimeManager<TurboStreamsHub>>());
        Assert.IsType<DefaultHubLifetimeManager<TurboStreamsHub>>(manager.Inner);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_backplane_is_wrapped_whether_it_is_added_before_or_after_AddTurbo(bool backplaneFirst)
    {
        await using var services = Services(s =>
        {
            if (backplaneFirst) s.AddSignalR().AddStackExchangeRedis("127.0.0.1:1,abortConnect=false");
            s.AddTurbo();
            if (!backplaneFirst) s.AddSignalR().AddStackExchangeRedis("127.0.0.1:1,abortConnect=false");
        }, addTurbo: false);

        var manager = Assert.IsType<TurboHubLifetimeManager>(services.GetRequiredService<HubLifetimeManager<TurboStreamsHub>>());
        Assert.Equal("RedisHubLifetimeManager`1", manager.Inner.GetType().Name);
    }

    private static ServiceProvider Services(Action<IServiceCollection> configure, bool addTurbo = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        if (addTurbo) services.AddTurbo();
        configure(services);
        return services.BuildServiceProvider();
    }
}
