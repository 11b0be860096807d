using LoadCluster.Samples;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Web.Security;

/// <summary>
/// One data-protection key ring for the whole cluster, in its Redis (on the replica's one shared
/// connection): the sign-in cookie, the sign-in's state and anti-forgery tokens made by one replica
/// are read by every other one behind a round-robin proxy. With <see cref="KeyRingOptions"/> set
/// (required while sign-in is on) each key is encrypted to a certificate before it is stored, so
/// reading the key ring in Redis gives nobody a sign-in.
/// </summary>
internal static class SharedDataProtection
{
    public const string ApplicationName = "LoadCluster";

    public static void AddSharedDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer, RedisNames>((options, redis, names) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), names.DataProtectionKeys));
        // Read here, as ProtectKeysWithCertificate wants the certificate itself; the validator says at
        // start-up what is wrong with a setting that gives none.
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        var ring = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        ring.Load();
        if (ring.Certificate is { } certificate) protection.ProtectKeysWithCertificate(certificate);
    }
}
