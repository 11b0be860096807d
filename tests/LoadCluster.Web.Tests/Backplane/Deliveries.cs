namespace LoadCluster.Web.Tests.Backplane;

/// <summary>Pushes carrying a test's marker, and counting what each client got.</summary>
internal static class Deliveries
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>Long enough for a duplicate to show up after the first copy.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);

    public static string Message(string marker) => $"<turbo-stream action=\"update\" target=\"t\"><template>{marker}</template></turbo-stream>";

    /// <summary>Waits for the message with <paramref name="marker"/>, then counts how many copies of it arrive before things go quiet.</summary>
    public static async Task<int> CopiesAsync(SignalRJsonClient client, string marker)
    {
        var message = Message(marker);
        var deadline = DateTime.UtcNow + Wait;
        while ((string?)(await client.NextAsync("turbo-stream", deadline - DateTime.UtcNow)).Arguments[0] != message) { }
        return 1 + (await client.DrainAsync(Quiet)).Count(m => (string?)m.Arguments[0] == message);
    }

    /// <summary>Nothing with <paramref name="marker"/> arrives within <see cref="Quiet"/>.</summary>
    public static async Task<bool> NoneAsync(SignalRJsonClient client, string marker) =>
        !(await client.DrainAsync(Quiet)).Any(m => (string?)m.Arguments[0] == Message(marker));
}
