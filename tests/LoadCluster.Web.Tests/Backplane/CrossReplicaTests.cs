namespace LoadCluster.Web.Tests.Backplane;

/// <summary>
/// Three replicas joined by the official SignalR Redis backplane on one shared Redis connection
/// each: any replica's push reaches the clients of every replica, exactly once.
/// </summary>
public sealed class CrossReplicaTests(ThreeReplicas cluster) : IClassFixture<ThreeReplicas>
{
    private readonly Replicas _replicas = cluster.Replicas;

    [Fact]
    public async Task A_push_to_all_from_one_replica_reaches_every_client_on_every_replica_exactly_once()
    {
        var clients = new List<SignalRJsonClient>();
        for (var replica = 0; replica < 3; replica++)
            for (var i = 0; i < 2; i++) clients.Add(await _replicas.ConnectAsync(replica));

        await _replicas.Push(1).ToAllAsync(Deliveries.Message("to-all"));

        foreach (var client in clients) Assert.Equal(1, await Deliveries.CopiesAsync(client, "to-all"));
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task A_push_to_a_user_reaches_their_connections_on_two_replicas_and_no_one_else()
    {
        await using var aliceOn1 = await _replicas.ConnectAsync(0, "alice");
        await using var aliceOn3 = await _replicas.ConnectAsync(2, "alice");
        await using var bobOn1 = await _replicas.ConnectAsync(0, "bob");
        await using var anonymousOn3 = await _replicas.ConnectAsync(2);

        await _replicas.Push(1).ToUsersAsync("alice", Deliveries.Message("to-alice"));

        Assert.Equal(1, await Deliveries.CopiesAsync(aliceOn1, "to-alice"));
        Assert.Equal(1, await Deliveries.CopiesAsync(aliceOn3, "to-alice"));
        Assert.True(await Deliveries.NoneAsync(bobOn1, "to-alice"));
        Assert.True(await Deliveries.NoneAsync(anonymousOn3, "to-alice"));
    }

    [Fact]
    public async Task A_stream_subscribed_on_one_replica_gets_pushes_made_on_another_and_other_streams_do_not()
    {
        await using var onReplica1 = await _replicas.SubscribeAsync(0, "app:news");
        await using var onReplica2 = await _replicas.SubscribeAsync(1, "app:news");
        await using var otherStream = await _replicas.SubscribeAsync(0, "app:sports");

        await _replicas.Push(2).ToStreamsAsync("app:news", Deliveries.Message("news-1"));

        Assert.Equal(1, await Deliveries.CopiesAsync(onReplica1, "news-1"));
        Assert.Equal(1, await Deliveries.CopiesAsync(onReplica2, "news-1"));
        Assert.True(await Deliveries.NoneAsync(otherStream, "news-1"));
    }

    [Fact]
    public async Task After_an_unsubscribe_or_a_disconnect_the_others_still_get_pushes()
    {
        await using var staying = await _replicas.SubscribeAsync(0, "app:churn");
        var leaving = await _replicas.SubscribeAsync(0, "app:churn");
        await using var unsubscribing = await _replicas.SubscribeAsync(1, "app:churn");
        await leaving.DisposeAsync();
        await unsubscribing.InvokeAsync("Unsubscribe", _replicas.Sign("app:churn"));

        await _replicas.Push(2).ToStreamsAsync("app:churn", Deliveries.Message("churn-1"));

        Assert.Equal(1, await Deliveries.CopiesAsync(staying, "churn-1"));
        Assert.True(await Deliveries.NoneAsync(unsubscribing, "churn-1"));
    }
}
