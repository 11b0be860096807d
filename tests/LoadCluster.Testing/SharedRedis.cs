using Xunit;

namespace LoadCluster.Testing;

/// <summary>
/// One Redis container for the tests of a class or collection that leave it running (each test
/// uses its own key prefix or host names). A test that breaks Redis starts a <see cref="TestRedis"/> of its own.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private TestRedis? _redis;

    public TestRedis Redis => _redis ?? throw new InvalidOperationException("the shared Redis has not started");

    public string ConnectionString => Redis.ConnectionString;

    public async Task InitializeAsync() => _redis = await TestRedis.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
