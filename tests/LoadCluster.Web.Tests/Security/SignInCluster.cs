using LoadCluster.Web.Tests.Infrastructure;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// The test OpenID Connect provider, one Redis and two replicas with sign-in on, shared by tests
/// that leave them running (each signs in its own users' sessions).
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
    };

    /// <summary>Another replica on the same Redis and provider, with extra settings; the caller disposes it.</summary>
    internal Task<WebApp> StartReplicaAsync(string name, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = Oidc(Provider);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return WebApp.StartAsync(Redis.ConnectionString, name, settings: settings);
    }

    public async Task InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        _redis = await TestRedis.StartAsync();
        for (var i = 1; i <= 2; i++) _replicas.Add(await StartReplicaAsync($"signin-{i}"));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas) await replica.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
