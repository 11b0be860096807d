using System.Net.WebSockets;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Connections;

/// <summary>
/// The one slow-client rule, in bytes and time: exactly, on a connection with a clock the test
/// moves; then against real sockets, a stuck client dropped and a busy one losing nothing.
/// </summary>
public sealed class SlowClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TurboOptions Rule = new() { SlowClientQueueBytes = 16 * 1024, SlowClientTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_writer_that_waited_idle_for_long_takes_a_burst_without_being_dropped()
    {
        var (connection, aborted, time) = Connection();
        var waiting = connection.NextAsync();
        time.Advance(TimeSpan.FromMinutes(10));

        for (var i = 0; i < 10; i++) connection.Send(Message(100, i));

        Assert.Equal("0", (await waiting)!.Markup[..1]);
        for (var i = 1; i < 10; i++) Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await connection.NextAsync())!.Markup[..1]);
        Assert.False(aborted.IsCancellationRequested);
        Assert.Null(connection.DroppedBecause);
    }

    [Fact]
    public void More_bytes_waiting_than_the_queue_holds_drop_the_connection()
    {
        var (connection, aborted, _) = Connection();

        for (var i = 0; i < 16; i++) connection.Send(Message(1024, i)); // exactly 16 KiB waiting: kept
        Assert.False(aborted.IsCancellationRequested);
        connection.Send(Message(1, 16));

        Assert.True(aborted.IsCancellationRequested);
        Assert.Contains("16384 bytes", connection.DroppedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writer_that_takes_nothing_for_the_timeout_while_markup_waits_is_dropped_on_the_next_push()
    {
        var (connection, aborted, time) = Connection();
        connection.Send(Message(10, 0));
        await connection.NextAsync(); // its write starts, and never ends
        connection.Send(Message(10, 1));
        time.Advance(TimeSpan.FromSeconds(5));
        connection.Send(Message(10, 2)); // five seconds is the limit, not beyond it
        Assert.False(aborted.IsCancellationRequested);

        time.Advance(TimeSpan.FromMilliseconds(1));
        connection.Send(Message(10, 3));

        Assert.True(aborted.IsCancellationRequested);
        Assert.Contains("took nothing for 5 s", connection.DroppedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_connection_gives_what_waits_then_ends_and_takes_no_more()
    {
        var (connection, _, _) = Connection();
        connection.Send(Message(10, 0));

        connection.Close();
        connection.Send(Message(10, 1));

        Assert.Equal("0", (await connection.NextAsync())!.Markup[..1]);
        Assert.Null(await connection.NextAsync());
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_logged_and_the_others_keep_getting_pushes()
    {
        var logs = new LogCollector();
        await using var app = await TurboTestApp.StartAsync(
            builder => builder.Logging.AddProvider(logs),
            settings: new Dictionary<string, string?> { ["Turbo:SlowClientQueueBytes"] = "262144" });
        await using var reading = await app.ConnectAsync("hosts");
        using var stuck = new ClientWebSocket();
        stuck.Options.SetBuffer(4096, 4096);
        await stuck.ConnectAsync(new Uri($"ws://{app.BaseUri.Authority}/turbo-stream?stream={Uri.EscapeDataString(app.Signer.Sign("hosts"))}"), CancellationToken.None);
        await Wait.UntilAsync(() => app.Push.LocalSubscriberCount("hosts") == 2, Patience, "both clients joined");

        // Socket buffers on loopback hold some megabytes: push until the stuck client's fill up and its
        // queue overflows, each push once the reading client has it (pushes never wait for a client).
        var payload = TurboStream.Update("big", new string('x', 64 * 1024)).ToString();
        for (var i = 0; i < 2000 && app.Push.LocalSubscriberCount("hosts") == 2; i++)
        {
            await app.Push.ToLocalSubscribersAsync("hosts", payload);
            Assert.Equal(payload, await reading.NextAsync(Patience));
        }

        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
        await Wait.UntilAsync(() => logs.WithEventId(30).Any(), Patience, "the drop was logged");
        Assert.Contains("262144 bytes", logs.WithEventId(30).First().Message, StringComparison.Ordinal);
        await app.Push.ToLocalSubscribersAsync("hosts", Fence);
        Assert.Equal(Fence, (await reading.ReadUntilAsync(m => m == Fence, Patience))[^1]);
    }

    [Fact]
    public async Task A_busy_client_that_reads_slowly_gets_every_push_of_a_burst_in_order()
    {
        await using var app = await TurboTestApp.StartAsync();
        using var busy = new ClientWebSocket();
        busy.Options.SetBuffer(1024, 1024);
        await busy.ConnectAsync(new Uri($"ws://{app.BaseUri.Authority}/turbo-stream?stream={Uri.EscapeDataString(app.Signer.Sign("hosts"))}"), CancellationToken.None);
        await Wait.UntilAsync(() => app.Push.LocalSubscriberCount("hosts") == 1, Patience, "the client joined");

        // 2,000 pushes of about 330 bytes at once, as a flood would send: 660 KB, less than the queue holds.
        const int burst = 2000;
        for (var i = 0; i < burst; i++) await app.Push.ToLocalSubscribersAsync("hosts", Row(i));

        var buffer = new byte[1024];
        for (var i = 0; i < burst; i++)
        {
            if (i % 100 == 0) await Task.Delay(20); // busy elsewhere: reads in fits and starts
            using var timeout = new CancellationTokenSource(Patience);
            var received = await busy.ReceiveAsync(buffer, timeout.Token);
            Assert.True(received.EndOfMessage);
            Assert.Equal(Row(i), System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
        Assert.Equal(1, app.Push.LocalSubscriberCount("hosts"));
    }

    private static (TurboConnection Connection, CancellationToken Aborted, ManualTime Time) Connection()
    {
        var lifetime = new AbortableLifetime();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        var time = new ManualTime();
        return (new TurboConnection(context, Rule, time), lifetime.RequestAborted, time);
    }

    private static TurboMessage Message(int bytes, int number) => new(number.ToString(System.Globalization.CultureInfo.InvariantCulture).PadRight(bytes, 'x'));

    private static string Row(int i) =>
        $"<turbo-stream action=\"replace\" target=\"host-web-042\"><template><tr id=\"host-web-042\" class=\"live\" data-seq=\"{i:00000}\"><td class=\"host\"><a href=\"/hosts/web-042\">web-042</a></td><td class=\"num\">1.25</td><td class=\"num\">37%</td><td class=\"num\">61%</td><td>live</td></tr></template></turbo-stream>";

    private const string Fence = "<turbo-stream action=\"remove\" target=\"fence\"></turbo-stream>";

    private sealed class AbortableLifetime : IHttpRequestLifetimeFeature
    {
        private readonly CancellationTokenSource _aborted = new();

        public CancellationToken RequestAborted
        {
            get => _aborted.Token;
            set { }
        }

        public void Abort() => _aborted.Cancel();
    }
}
