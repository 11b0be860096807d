using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LoadCluster.SignalR.Redis.Tests.EndToEnd;

/// <summary>
/// A raw SignalR JSON client that answers every server invocation carrying an invocation id
/// (a client result) with a fixed number, as a browser's <c>connection.on("ask", () => 42)</c> would.
/// </summary>
internal sealed class AnsweringClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public string ConnectionId { get; private set; } = "";

    public static async Task<AnsweringClient> ConnectAsync(Uri hub, int answer)
    {
        var client = new AnsweringClient();
        await client._socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws" }.Uri, CancellationToken.None);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        await client.SendAsync("{\"type\":1,\"invocationId\":\"who\",\"target\":\"WhoAmI\",\"arguments\":[]}");
        var whoAmI = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client._loop = Task.Run(() => client.LoopAsync(answer, whoAmI));
        client.ConnectionId = await whoAmI.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    private async Task LoopAsync(int answer, TaskCompletionSource<string> whoAmI)
    {
        var buffer = new byte[16 * 1024];
        var pending = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                var text = pending.ToString();
                var last = text.LastIndexOf(RecordSeparator);
                if (last < 0) continue;
                pending.Clear().Append(text[(last + 1)..]);
                foreach (var record in text[..last].Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
                {
                    var message = JsonNode.Parse(record)?.AsObject();
                    if (message is null || !message.ContainsKey("type")) continue; // the handshake answer
                    var type = (int)message["type"]!;
                    var id = (string?)message["invocationId"];
                    if (type == 3 && id == "who") whoAmI.TrySetResult((string)message["result"]!);
                    if (type == 1 && id is not null) await SendAsync($"{{\"type\":3,\"invocationId\":\"{id}\",\"result\":{answer}}}");
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
