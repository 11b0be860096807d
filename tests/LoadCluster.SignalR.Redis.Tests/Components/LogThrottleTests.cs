using LoadCluster.SignalR.Redis.Internal;

namespace LoadCluster.SignalR.Redis.Tests.Components;

public sealed class LogThrottleTests
{
    [Fact]
    public async Task One_line_per_period_passes_and_the_next_one_counts_what_was_held_back()
    {
        var throttle = new LogThrottle(TimeSpan.FromMilliseconds(50));

        Assert.True(throttle.ShouldLog(out var first));
        Assert.Equal(0, first);
        Assert.False(throttle.ShouldLog(out _));
        Assert.False(throttle.ShouldLog(out _));

        await Task.Delay(200);
        Assert.True(throttle.ShouldLog(out var held));
        Assert.Equal(2, held);
    }
}
