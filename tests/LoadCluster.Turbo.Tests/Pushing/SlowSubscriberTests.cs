using System.Net.WebSockets;
using System.Text;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Pushing;

public sealed class SlowSubscriberTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_dropped_and_the_others_keep_getting_pushes()
    {
        // Kestrel drops a connection whose writes stall for long on its own; the timeout here is shorter.
        var logs = new LogCollector();
        await using var app = await TurboTestApp.StartAsync(
            builder => builder.Logging.AddProvider(logs),
            settings: new Dictionary<string, string?> { ["Turbo:SlowSubscriberTimeout"] = "00:00:01" });
        var signed = app.Signer.Sign("hosts");
        await using var fast = await app.ConnectAsync();
        await fast.InvokeAsync("Subscribe", signed);
        using var stuck = await ConnectWithoutReadingAsync(app, signed);
        await Eventually.TrueAsync(() => app.Push.LocalSubscriberCount("hosts") == 2, Wait);

        // Loopback socket buffers hold some megabytes: push until the stuck client's fill up.
        var payload = TurboStream.Update("big", new string('x', 64 * 1024)).ToString();
        for (var i = 0; i < 2000 && app.Push.LocalSubscriberCount("hosts") == 2; i++)
        {
            await app.Push.ToLocalSubscribersAsync("hosts", payload);
            while (fast.Received.TryRead(out _)) { }
        }

        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        Assert.Contains(logs.WithEventId(30), e => e.Message.Contains("did not take a push", StringComparison.Ordinal));
        while (fast.Received.TryRead(out _)) { }
        await app.Push.ToLocalSubscribersAsync("hosts", TurboStream.Refresh().ToString());
        string? last;
        do last = (string?)(await fast.NextAsync("turbo-stream", Wait)).Arguments[0]; while (last == payload);
        Assert.Equal(TurboStream.Refresh().ToString(), last);
    }

    /// <summary>A SignalR client that subscribes and then never reads again, as a frozen tab would.</summary>
    private static async Task<ClientWebSocket> ConnectWithoutReadingAsync(TurboTestApp app, string signed)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetBuffer(4096, 4096);
        await socket.ConnectAsync(new Uri($"ws://{app.BaseUri.Authority}/turbo-stream"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.ReceiveAsync(new byte[1024], CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[\"{signed}\"]}}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }
}
