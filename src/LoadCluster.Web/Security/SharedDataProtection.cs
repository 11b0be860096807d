using LoadCluster.Samples;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace LoadCluster.Web.Security;

/// <summary>
/// One data-protection key ring for the whole cluster, in its Redis (on the replica's one shared
/// connection): the sign-in cookie, the sign-in's state and anti-forgery tokens made by one replica
/// are read by every other one behind a round-robin proxy. The keys are stored unencrypted: whoever
/// can read that Redis can already push HTML to every browser through the backplane, so it must be
/// private either way (README, security).
/// </summary>
internal static class SharedDataProtection
{
    public const string ApplicationName = "LoadCluster";

    public static void AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer, RedisNames>((options, redis, names) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), names.DataProtectionKeys));
    }
}
