using System.Text;
using LoadCluster.Testing;

namespace LoadCluster.Compose.Tests;

/// <summary>Opens the overview page's socket on the signed "hosts" stream of one web endpoint.</summary>
internal static class HostsStream
{
    /// <summary>Reads the overview page at <paramref name="baseUrl"/>, then opens its socket as the page does and reads the state.</summary>
    public static async Task<TurboSocketClient> OpenAsync(string label, Uri baseUrl, HttpClient http)
    {
        var html = await http.GetStringAsync(baseUrl);
        var signed = SignedStreamNames.In(html).FirstOrDefault(name => RawName(name) == "hosts")
            ?? throw new InvalidOperationException($"GET {baseUrl} has no signed-stream-name for 'hosts'");
        var client = await TurboSocketClient.ConnectAsync(new Uri(baseUrl, "turbo-stream"), signed, label: label);
        await client.NextAsync(TimeSpan.FromSeconds(30));
        return client;
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
