namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>Polls a condition until it holds, for state that settles asynchronously (disconnect cleanup).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition did not hold within {timeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
