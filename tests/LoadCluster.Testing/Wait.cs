using System.Threading.Channels;

namespace LoadCluster.Testing;

/// <summary>
/// The tests' two ways to wait: until something holds (<see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string)"/>),
/// and until a stream of messages goes quiet (<see cref="QuietAsync{T}"/>). Prefer an exact check
/// (a fence message, a count) to either; these are for what settles by itself.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> (every 50 ms unless told) until it holds; fails naming <paramref name="what"/> on timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // A server on its way up or down: ask again.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting until {what}");
            await Task.Delay(every ?? Poll);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, TimeSpan, string)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="probe"/> until its value satisfies <paramref name="done"/> (30 s by default); returns that value.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        T last = default!;
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        try
        {
            await UntilAsync(async () => done(last = await probe()), limit, what);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {limit.TotalSeconds:0.#} s waiting until {what} (last: {last})");
        }
        return last;
    }

    /// <summary>
    /// Takes what <paramref name="reader"/> delivers until nothing more arrives for <paramref name="quiet"/>
    /// (or it completes); fails when it is still talking after <paramref name="limit"/> (a minute by default).
    /// </summary>
    public static async Task<List<T>> QuietAsync<T>(ChannelReader<T> reader, TimeSpan quiet, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var items = new List<T>();
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(1));
        while (DateTime.UtcNow < deadline)
        {
            using var wait = new CancellationTokenSource(quiet);
            try
            {
                items.Add(await reader.ReadAsync(wait.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return items;
            }
        }
        throw new TimeoutException($"the stream did not go quiet for {quiet.TotalSeconds:0.#} s within {(limit ?? TimeSpan.FromMinutes(1)).TotalSeconds:0} s");
    }
}
