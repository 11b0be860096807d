using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LoadCluster.Testing;

namespace LoadCluster.Compose.Tests;

/// <summary>
/// A SignalR client subscribed to the signed "hosts" stream of one web endpoint, keeping every
/// turbo-stream message it receives and reading element values out of them.
/// </summary>
internal sealed partial class HostsStream : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly Task _loop;

    private HostsStream(string label, SignalRJsonClient client)
    {
        Label = label;
        Client = client;
        _loop = Task.Run(async () =>
        {
            await foreach (var message in client.Received.ReadAllAsync())
            {
                if (message.Target == "turbo-stream" && message.Arguments.Count > 0)
                    _messages.Enqueue((string?)message.Arguments[0] ?? "");
            }
        });
    }

    public string Label { get; }

    public SignalRJsonClient Client { get; }

    /// <summary>True once the connection dropped.</summary>
    public bool Closed => _loop.IsCompleted;

    /// <summary>Reads the overview page at <paramref name="baseUrl"/>, then connects to its hub and subscribes to "hosts".</summary>
    public static async Task<HostsStream> OpenAsync(string label, Uri baseUrl, HttpClient http)
    {
        var html = await http.GetStringAsync(baseUrl);
        var signed = SignedNames().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .FirstOrDefault(name => RawName(name) == "hosts")
            ?? throw new InvalidOperationException($"GET {baseUrl} has no signed-stream-name for 'hosts'");
        var client = await SignalRJsonClient.ConnectAsync(new Uri(baseUrl, "turbo-stream"));
        await client.InvokeAsync("Subscribe", signed);
        return new HostsStream(label, client);
    }

    /// <summary>Every value of the element with this id, in the order the messages carried them.</summary>
    public List<string> ValuesOf(string elementId)
    {
        var pattern = new Regex($"id=\"{Regex.Escape(elementId)}\"[^>]*>([^<]*)<");
        return _messages.SelectMany(m => pattern.Matches(m).Select(x => x.Groups[1].Value)).ToList();
    }

    public async Task WaitForValueAsync(string elementId, string value, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ValuesOf(elementId).Contains(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Label}: #{elementId} never read '{value}' within {timeout.TotalSeconds} s (connection {(Closed ? "closed" : "open")}); seen: [{string.Join(", ", ValuesOf(elementId))}]");
            await Task.Delay(200);
        }
    }

    /// <summary>The stream name inside a signed name: its part before the dot, base64url-encoded.</summary>
    private static string RawName(string signed)
    {
        var encoded = signed.Split('.')[0].Replace('-', '+').Replace('_', '/');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    [GeneratedRegex("signed-stream-name=\"([^\"]+)\"")]
    private static partial Regex SignedNames();

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
