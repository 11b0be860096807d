namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

internal static class Expect
{
    /// <summary>The connection gets exactly this one message (method "m", first argument <paramref name="id"/>) and nothing else.</summary>
    public static async Task OnceAsync(TestConnection connection, string id)
    {
        var first = await connection.NextAsync();
        Assert.Equal(id, first.FirstArgument);
        Assert.Empty(await connection.DrainAsync());
    }

    /// <summary>Each connection gets exactly this one message (checked side by side, so quiet periods overlap).</summary>
    public static Task EachOnceAsync(IEnumerable<TestConnection> connections, string id) =>
        Task.WhenAll(connections.Select(c => OnceAsync(c, id)));

    /// <summary>The connection gets nothing within a quiet period.</summary>
    public static async Task NothingAsync(TestConnection connection) =>
        Assert.Empty(await connection.DrainAsync(TimeSpan.FromMilliseconds(500)));
}
