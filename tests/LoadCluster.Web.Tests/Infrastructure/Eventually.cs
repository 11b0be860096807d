namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>Polls a condition until it holds, for things that happen "soon" on a loaded machine.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T last;
        while (true)
        {
            try
            {
                last = await probe();
                if (done(last)) return last;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = default!;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s (last: {last})");
            await Task.Delay(100);
        }
    }
}
