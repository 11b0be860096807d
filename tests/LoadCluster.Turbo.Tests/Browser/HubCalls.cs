using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// The hub calls a page sends and the pushes it receives, read from its WebSocket frames in
/// Chromium (what a developer sees in the browser's network panel). SignalR's JSON protocol:
/// records end with 0x1E; an invocation is <c>{"type":1,"target":"Subscribe","arguments":["signed"]}</c>.
/// </summary>
internal sealed class HubCalls
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentQueue<string> _received = new();

    private HubCalls(IPage page) => page.WebSocket += (_, socket) =>
    {
        socket.FrameSent += (_, frame) => Read(frame.Text, record =>
        {
            if (record.TryGetProperty("target", out var target) && target.GetString() is "Subscribe" or "Unsubscribe")
                _calls.Enqueue($"{target.GetString()} {StreamName(record.GetProperty("arguments")[0].GetString()!)}");
        });
        socket.FrameReceived += (_, frame) => Read(frame.Text, record =>
        {
            if (record.TryGetProperty("target", out var target) && target.GetString() == TurboPush.ClientMethod)
                _received.Enqueue(record.GetProperty("arguments")[0].GetString()!);
        });
    };

    public static HubCalls Watch(IPage page) => new(page);

    /// <summary>"Subscribe news", "Unsubscribe board", … in the order sent.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>The markup of every push the page received.</summary>
    public IReadOnlyList<string> Received => [.. _received];

    private static void Read(string? text, Action<JsonElement> handle)
    {
        if (text is null) return;
        foreach (var json in text.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(json);
            handle(document.RootElement);
        }
    }

    // Signed name: base64url(utf8 name) "." MAC; the test only needs the name back.
    private static string StreamName(string signed) =>
        Encoding.UTF8.GetString(Base64Url.DecodeFromChars(signed.AsSpan(0, signed.IndexOf('.', StringComparison.Ordinal))));
}
