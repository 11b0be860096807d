using LoadCluster.Testing;
using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Pushing;

/// <summary>Two nodes joined by the official Redis backplane on a real Redis: pushes from either node reach every client once.</summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1.5);
    private TestRedis _redis = null!;
    private TurboTestApp _node1 = null!;
    private TurboTestApp _node2 = null!;

    public async Task InitializeAsync()
    {
        _redis = await TestRedis.StartAsync();
        _node1 = await StartNodeAsync();
        _node2 = await StartNodeAsync();
    }

    public async Task DisposeAsync()
    {
        await _node1.DisposeAsync();
        await _node2.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private Task<TurboTestApp> StartNodeAsync() =>
        TurboTestApp.StartAsync(builder => builder.Services.AddSignalR().AddStackExchangeRedis(_redis.ConnectionString));

    [Fact]
    public async Task A_stream_push_from_one_node_reaches_each_client_on_every_node_exactly_once()
    {
        await using var onNode1 = await _node1.ConnectAsync();
        await using var onNode2 = await _node2.ConnectAsync();
        await onNode1.InvokeAsync("Subscribe", _node1.Signer.Sign("hosts"));
        await onNode2.InvokeAsync("Subscribe", _node2.Signer.Sign("hosts"));
        await WarmUpAsync(() => _node1.Push.ToStreamsAsync("hosts", Probe), onNode1, onNode2);

        await _node1.Push.ToStreamsAsync("hosts", Payload);

        Assert.Equal([Payload], await PayloadsAsync(onNode1));
        Assert.Equal([Payload], await PayloadsAsync(onNode2));
    }

    [Fact]
    public async Task A_user_push_reaches_the_user_on_another_node_and_no_other_user()
    {
        await using var alice = await _node1.ConnectAsync(user: "alice");
        await using var bob = await _node2.ConnectAsync(user: "bob");
        await using var aliceElsewhere = await _node2.ConnectAsync(user: "alice");
        await WarmUpAsync(() => _node2.Push.ToUsersAsync("alice", Probe), alice, aliceElsewhere);

        await _node2.Push.ToUsersAsync("alice", Payload);

        Assert.Equal([Payload], await PayloadsAsync(alice));
        Assert.Equal([Payload], await PayloadsAsync(aliceElsewhere));
        Assert.Empty(await bob.DrainAsync(Quiet));
    }

    [Fact]
    public async Task An_event_stream_on_another_node_gets_backplane_pushes()
    {
        using var http = new HttpClient { BaseAddress = _node2.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/turbo-stream/events?stream=" + Uri.EscapeDataString(_node2.Signer.Sign("hosts")));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        await events.WaitForCommentAsync(Wait);

        // Redis may still be connecting: push until one arrives, then the real payload must follow.
        using var stop = new CancellationTokenSource();
        var probing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await _node1.Push.ToStreamsAsync("hosts", Probe);
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        Assert.Equal(Probe, await events.NextEventAsync(Wait));
        await stop.CancelAsync();
        await probing;

        await _node1.Push.ToStreamsAsync("hosts", Payload.Replace("payload", "line one\nline two", StringComparison.Ordinal));
        string received;
        do received = await events.NextEventAsync(Wait); while (received == Probe);
        Assert.Equal(Payload.Replace("payload", "line one\nline two", StringComparison.Ordinal), received);
    }

    [Fact]
    public async Task A_socket_on_each_node_gets_a_stream_push_and_a_user_push_from_one_node_exactly_once()
    {
        await using var onNode1 = await TurboSocketClient.ConnectAsync(_node1.BaseUri, _node1.Signer.Sign("hosts"), user: "alice");
        await using var onNode2 = await TurboSocketClient.ConnectAsync(_node2.BaseUri, _node2.Signer.Sign("hosts"), user: "alice");
        // Redis may still be connecting: push until each socket has one, then the real payloads must follow alone.
        foreach (var socket in new[] { onNode1, onNode2 })
        {
            var deadline = DateTime.UtcNow + Wait;
            do await _node1.Push.ToStreamsAsync("hosts", Probe);
            while (await socket.NextAsync(TimeSpan.FromMilliseconds(300)) != Probe && DateTime.UtcNow < deadline);
        }
        while (await onNode1.NextAsync(Quiet) is not null || await onNode2.NextAsync(Quiet) is not null) { }

        await _node1.Push.ToStreamsAsync("hosts", Payload);
        await _node2.Push.ToUsersAsync("alice", Payload);

        foreach (var socket in new[] { onNode1, onNode2 })
        {
            Assert.Equal(Payload, await socket.NextAsync(Wait));
            Assert.Equal(Payload, await socket.NextAsync(Wait));
            Assert.Null(await socket.NextAsync(Quiet));
        }
    }

    [Fact]
    public async Task A_local_push_stays_on_its_node()
    {
        await using var onNode1 = await _node1.ConnectAsync();
        await using var onNode2 = await _node2.ConnectAsync();
        await onNode1.InvokeAsync("Subscribe", _node1.Signer.Sign("hosts"));
        await onNode2.InvokeAsync("Subscribe", _node2.Signer.Sign("hosts"));

        await _node1.Push.ToLocalSubscribersAsync("hosts", Payload);

        Assert.Equal([Payload], await PayloadsAsync(onNode1));
        Assert.Empty(await onNode2.DrainAsync(Quiet));
        Assert.Equal(1, _node1.Push.LocalSubscriberCount("hosts"));
        Assert.Equal(1, _node2.Push.LocalSubscriberCount("hosts"));
    }

    private const string Probe = "<turbo-stream action=\"refresh\" request-id=\"probe\"></turbo-stream>";
    private const string Payload = "<turbo-stream action=\"update\" target=\"t\"><template>payload</template></turbo-stream>";

    /// <summary>
    /// The backplane connects to Redis in the background: probe until every client has one, then
    /// let stragglers arrive and discard them, so the real push is counted alone.
    /// </summary>
    private static async Task WarmUpAsync(Func<Task> probe, params SignalRJsonClient[] clients)
    {
        var deadline = DateTime.UtcNow + Wait;
        var pending = clients.ToList();
        while (pending.Count > 0)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("the backplane did not deliver a probe within 20 s");
            await probe();
            foreach (var client in pending.ToList())
            {
                if ((await client.DrainAsync(TimeSpan.FromMilliseconds(300))).Count > 0) pending.Remove(client);
            }
        }
        foreach (var client in clients) await client.DrainAsync(Quiet);
    }

    /// <summary>Waits (generously) for the first payload, then collects whatever else arrives before things go quiet.</summary>
    private static async Task<List<string?>> PayloadsAsync(SignalRJsonClient client)
    {
        string? first;
        do first = (string?)(await client.NextAsync("turbo-stream", Wait)).Arguments[0]; while (first == Probe);
        var rest = (await client.DrainAsync(Quiet)).Where(m => m.Target == "turbo-stream").Select(m => (string?)m.Arguments[0]).Where(m => m != Probe);
        return [first, .. rest];
    }
}
