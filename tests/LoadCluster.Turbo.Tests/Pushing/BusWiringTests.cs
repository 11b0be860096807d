using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace LoadCluster.Turbo.Tests.Pushing;

public sealed class BusWiringTests
{
    [Fact]
    public async Task Without_a_backplane_the_bus_is_SignalR_s_in_memory_manager()
    {
        await using var services = Services(s => s.AddTurbo());

        Assert.IsType<DefaultHubLifetimeManager<TurboStreamsHub>>(services.GetRequiredService<TurboBus>().Manager);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_backplane_is_the_bus_whether_it_is_added_before_or_after_AddTurbo(bool backplaneFirst)
    {
        await using var services = Services(s =>
        {
            if (backplaneFirst) s.AddSignalR().AddStackExchangeRedis("127.0.0.1:1,abortConnect=false");
            s.AddTurbo();
            if (!backplaneFirst) s.AddSignalR().AddStackExchangeRedis("127.0.0.1:1,abortConnect=false");
        });

        Assert.Equal("RedisHubLifetimeManager`1", services.GetRequiredService<TurboBus>().Manager.GetType().Name);
    }

    private static ServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        configure(services);
        return services.BuildServiceProvider();
    }
}
