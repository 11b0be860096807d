using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Pushing;

/// <summary>
/// Two nodes joined by the official Redis backplane on a real Redis, page sockets on each: a push
/// from either node reaches each connection it is for exactly once, and no other. Exact: each test
/// pushes a fence from the same node, on the same channel, after what it checks, and reads each
/// client up to it (a node's pushes on one channel reach a connection in the order they were made;
/// across channels, such as a user's and a group's, the backplane keeps no order).
/// </summary>
public sealed class CrossNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
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
    public async Task A_stream_push_from_one_node_reaches_each_of_its_connections_on_every_node_exactly_once()
    {
        await using var onNode1 = await _node1.ConnectAsync("hosts");
        await using var alsoOnNode1 = await _node1.ConnectAsync("hosts", user: "alice");
        await using var onNode2 = await _node2.ConnectAsync("hosts");
        await using var otherStream = await _node2.ConnectAsync("news");
        await TurboSocketClient.SettleAsync(probe => _node1.Push.ToStreamsAsync("hosts", probe), onNode1, alsoOnNode1, onNode2);
        await TurboSocketClient.SettleAsync(probe => _node1.Push.ToStreamsAsync("news", probe), otherStream);

        await _node1.Push.ToStreamsAsync("hosts", Payload);
        await _node1.Push.ToStreamsAsync(["hosts", "news"], Fence);

        foreach (var client in new[] { onNode1, alsoOnNode1, onNode2 }) Assert.Equal([Payload, Fence], await client.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Fence], await otherStream.ReadUntilAsync(IsFence, Patience));
    }

    [Fact]
    public async Task A_user_push_reaches_the_user_s_pages_on_both_nodes_and_no_one_else()
    {
        await using var alice = await _node1.ConnectAsync(user: "alice");
        await using var aliceElsewhere = await _node2.ConnectAsync(user: "alice");
        await using var bob = await _node2.ConnectAsync(user: "bob");
        await using var aliceOnAStream = await _node2.ConnectAsync("hosts", user: "alice");
        await TurboSocketClient.SettleAsync(probe => _node2.Push.ToAllAsync(probe), alice, aliceElsewhere, bob);
        await TurboSocketClient.SettleAsync(probe => _node2.Push.ToStreamsAsync("hosts", probe), aliceOnAStream);

        await _node2.Push.ToUsersAsync("alice", Payload);
        // Fences on the channels each client listens to: the backplane keeps order per channel only.
        await _node2.Push.ToUsersAsync(["alice", "bob"], Fence);
        await _node2.Push.ToStreamsAsync("hosts", Fence);

        Assert.Equal([Payload, Fence], await alice.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Payload, Fence], await aliceElsewhere.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Fence], await bob.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Fence], await aliceOnAStream.ReadUntilAsync(IsFence, Patience));
    }

    [Fact]
    public async Task A_push_to_all_reaches_every_page_connection_on_every_node_once_and_no_stream_connection()
    {
        await using var page1 = await _node1.ConnectAsync();
        await using var page2 = await _node2.ConnectAsync(user: "bob");
        await using var stream2 = await _node2.ConnectAsync("hosts");
        await TurboSocketClient.SettleAsync(probe => _node1.Push.ToAllAsync(probe), page1, page2);
        await TurboSocketClient.SettleAsync(probe => _node1.Push.ToStreamsAsync("hosts", probe), stream2);

        await _node1.Push.ToAllAsync(Payload);
        await _node1.Push.ToAllAsync(Fence);
        await _node1.Push.ToStreamsAsync("hosts", Fence);

        Assert.Equal([Payload, Fence], await page1.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Payload, Fence], await page2.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Fence], await stream2.ReadUntilAsync(IsFence, Patience));
    }

    [Fact]
    public async Task An_event_stream_on_another_node_gets_backplane_pushes()
    {
        using var http = new HttpClient { BaseAddress = _node2.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        await using var events = await EventStreamClient.OpenAsync(http, "/turbo-stream?stream=" + Uri.EscapeDataString(_node2.Signer.Sign("hosts")));
        await events.ConnectedAsync(Patience);
        // The relay's subscription may still be on its way: probe until one arrives, then the payload must follow.
        await Wait.UntilAsync(async () =>
        {
            await _node1.Push.ToStreamsAsync("hosts", TurboSocketClient.Probe(0));
            return events.Received.TryRead(out _);
        }, Patience, "a probe reached the event stream");

        await _node1.Push.ToStreamsAsync("hosts", Payload);

        string received;
        do received = await events.NextAsync(Patience); while (received == TurboSocketClient.Probe(0));
        Assert.Equal(Payload, received);
    }

    [Fact]
    public async Task A_local_push_stays_on_its_node()
    {
        await using var onNode1 = await _node1.ConnectAsync("hosts");
        await using var onNode2 = await _node2.ConnectAsync("hosts");
        await TurboSocketClient.SettleAsync(probe => _node1.Push.ToStreamsAsync("hosts", probe), onNode1, onNode2);

        await _node1.Push.ToLocalSubscribersAsync("hosts", Payload);
        await _node2.Push.ToLocalSubscribersAsync("hosts", Fence);
        await _node1.Push.ToLocalSubscribersAsync("hosts", Fence);

        Assert.Equal([Payload, Fence], await onNode1.ReadUntilAsync(IsFence, Patience));
        Assert.Equal([Fence], await onNode2.ReadUntilAsync(IsFence, Patience));
        Assert.Equal(1, _node1.Push.LocalSubscriberCount("hosts"));
        Assert.Equal(1, _node2.Push.LocalSubscriberCount("hosts"));
    }

    [Fact]
    public async Task After_connections_leave_a_node_the_others_still_get_pushes_and_its_relays_are_gone()
    {
        await using var staying = await _node1.ConnectAsync("churn");
        var leaving = await _node1.ConnectAsync("churn");
        var aborted = await _node2.ConnectAsync("churn");
        await TurboSocketClient.SettleAsync(probe => _node2.Push.ToStreamsAsync("churn", probe), staying, leaving, aborted);

        await leaving.DisposeAsync();
        aborted.Abort();
        await aborted.DisposeAsync();
        await Wait.UntilAsync(() => _node1.Push.LocalSubscriberCount("churn") == 1 && _node2.Relays.RelayCount == 0, Patience, "the connections that left are gone");
        await _node2.Push.ToStreamsAsync("churn", Payload);
        await _node2.Push.ToStreamsAsync("churn", Fence);

        Assert.Equal([Payload, Fence], await staying.ReadUntilAsync(IsFence, Patience));
    }

    private const string Payload = "<turbo-stream action=\"update\" target=\"t\"><template>payload</template></turbo-stream>";
    private const string Fence = "<turbo-stream action=\"remove\" target=\"fence\"></turbo-stream>";

    private static bool IsFence(string message) => message == Fence;
}
