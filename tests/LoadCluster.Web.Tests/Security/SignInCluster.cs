using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// The test OpenID Connect provider, one Redis with ACLs and two replicas with sign-in on, each on
/// the web replicas' Redis user and the key ring encrypted to one certificate, shared by tests that
/// leave them running (each signs in its own users' sessions).
/// </summary>
public sealed class SignInCluster : IAsyncLifetime
{
    private TestRedis? _redis;
    private readonly List<WebApp> _replicas = [];

    internal TestOidcProvider Provider { get; private set; } = default!;

    internal TestRedis Redis => _redis!;

    internal WebApp this[int index] => _replicas[index];

    /// <summary>Sign-in settings for a replica that uses <paramref name="provider"/>.</summary>
    internal static Dictionary<string, string?> Oidc(TestOidcProvider provider) => new()
    {
        ["LoadCluster:Auth:Mode"] = "oidc",
        ["LoadCluster:Auth:Authority"] = provider.Authority.ToString(),
        ["LoadCluster:Auth:ClientId"] = TestOidcProvider.ClientId,
        ["LoadCluster:Auth:ClientSecret"] = TestOidcProvider.ClientSecret,
        // The provider is on loopback http; across a network it must be https.
        ["LoadCluster:Auth:RequireHttpsMetadata"] = "false",
        ["LoadCluster:DataProtection:CertificateFile"] = TestKeyRing.CertificateFile,
    };

    /// <summary>The web replicas' user of the default prefix.</summary>
    internal string WebConnectionString { get; private set; } = "";

    /// <summary>
    /// Another replica on the same Redis and provider, with extra settings (another prefix gets that
    /// prefix's web user); the caller disposes it.
    /// </summary>
    internal async Task<WebApp> StartReplicaAsync(string name, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = Oidc(Provider);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var redis = settings.TryGetValue("LoadCluster:Prefix", out var prefix) && prefix is not null
            ? await Redis.CreateUserAsync(new RedisAcl(new RedisNames(prefix)).WebUser, new RedisAcl(new RedisNames(prefix)).WebRules)
            : WebConnectionString;
        return await WebApp.StartAsync(redis, name, settings: settings);
    }

    public async Task InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        _redis = await TestRedis.StartAsync(acl: true);
        WebConnectionString = await _redis.CreateWebUserAsync();
        for (var i = 1; i <= 2; i++) _replicas.Add(await StartReplicaAsync($"signin-{i}"));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
