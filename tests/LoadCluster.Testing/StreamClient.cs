using System.Text.RegularExpressions;

namespace LoadCluster.Testing;

/// <summary>A test's client of one stream (a page's socket, a hub connection): what it received, in order, and whether its connection closed.</summary>
public interface IStreamClient : IAsyncDisposable
{
    /// <summary>Names the client in failure messages (e.g. the replica it is on).</summary>
    string Label { get; }

    /// <summary>True once the connection closed or dropped.</summary>
    bool Closed { get; }

    /// <summary>Every message received so far (Turbo Stream markup), in order.</summary>
    IReadOnlyList<string> Received { get; }
}

public static class StreamClientExtensions
{
    /// <summary>Every value of the element with this id, in the order the messages carried them.</summary>
    public static List<string> ValuesOf(this IStreamClient client, string elementId)
    {
        ArgumentNullException.ThrowIfNull(client);
        var pattern = new Regex($"id=\"{Regex.Escape(elementId)}\"[^>]*>([^<]*)<");
        return client.Received.SelectMany(m => pattern.Matches(m).Select(x => x.Groups[1].Value)).ToList();
    }

    public static async Task WaitForValueAsync(this IStreamClient client, string elementId, string value, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        var deadline = DateTime.UtcNow + timeout;
        while (!client.ValuesOf(elementId).Contains(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{client.Label}: #{elementId} never read '{value}' within {timeout.TotalSeconds} s (connection {(client.Closed ? "closed" : "open")}); seen: [{string.Join(", ", client.ValuesOf(elementId))}]");
            await Task.Delay(100);
        }
    }
}
