using System.Text;
using LoadCluster.Testing;

namespace LoadCluster.Compose.Tests;

/// <summary>Opens the overview page's socket (the signed "hosts" stream) at one web endpoint, as the page does.</summary>
internal static class HostsStream
{
    /// <summary>Reads the overview page at <paramref name="baseUrl"/>, then opens its socket; returns once the state (the first message) has come.</summary>
    public static async Task<PageSocket> OpenAsync(string label, Uri baseUrl, HttpClient http)
    {
        var html = await http.GetStringAsync(baseUrl);
        var signed = SignedStreamNames.In(html).FirstOrDefault(name => RawName(name) == "hosts")
            ?? throw new InvalidOperationException($"GET {baseUrl} has no signed-stream-name for 'hosts'");
        var socket = await PageSocket.ConnectAsync(baseUrl, signed, label);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (socket.Messages.Count == 0)
        {
            if (socket.Closed || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{label}: the overview socket at {baseUrl} sent no state ({socket.ClosedHow ?? "no message within 30 s"})");
            await Task.Delay(50);
        }
        return socket;
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
}
