using LoadCluster.SignalR.Redis.Tests.Infrastructure;
using LoadCluster.Testing;

namespace LoadCluster.SignalR.Redis.Tests.EndToEnd;

/// <summary>Three real Kestrel servers, one Redis, real WebSocket clients speaking SignalR's JSON protocol.</summary>
public sealed class KestrelClusterTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly List<KestrelNode> _servers = [];
    private readonly List<SignalRJsonClient> _clients = [];

    public async Task InitializeAsync()
    {
        var prefix = "e2e" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++) _servers.Add(await KestrelNode.StartAsync(redis.ConnectionString, prefix));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        foreach (var server in _servers) await server.DisposeAsync();
    }

    private async Task<SignalRJsonClient> ClientAsync(int server, string? user = null)
    {
        var client = await _servers[server].ConnectAsync(user);
        _clients.Add(client);
        return client;
    }

    private static async Task ExpectOnceAsync(SignalRJsonClient client, string id)
    {
        var message = await client.NextAsync("m", TimeSpan.FromSeconds(10));
        Assert.Equal(id, message.Arguments[0]!.ToString());
        Assert.Empty(await client.DrainAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_broadcast_from_server_1_reaches_every_client_on_servers_1_to_3_exactly_once()
    {
        var clients = new List<SignalRJsonClient>();
        for (var server = 0; server < 3; server++)
        {
            clients.Add(await ClientAsync(server));
            clients.Add(await ClientAsync(server));
        }

        await clients[0].InvokeAsync("Broadcast", "hello");

        await Task.WhenAll(clients.Select(c => ExpectOnceAsync(c, "hello")));
    }

    [Fact]
    public async Task A_user_push_reaches_both_of_that_users_connections_on_different_servers_and_no_one_else()
    {
        var adaOn1 = await ClientAsync(0, "ada");
        var adaOn3 = await ClientAsync(2, "ada");
        var bob = await ClientAsync(1, "bob");
        var anonymous = await ClientAsync(2);

        await bob.InvokeAsync("SendUser", "ada", "for-ada");

        await Task.WhenAll(ExpectOnceAsync(adaOn1, "for-ada"), ExpectOnceAsync(adaOn3, "for-ada"));
        Assert.Empty(await bob.DrainAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Empty(await anonymous.DrainAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_connection_on_another_server_is_added_to_and_removed_from_a_group()
    {
        var admin = await ClientAsync(0);
        var member = await ClientAsync(2);
        var memberId = (await member.InvokeAsync("WhoAmI"))!.ToString();

        await admin.InvokeAsync("AddToGroup", memberId, "room");
        await admin.InvokeAsync("SendGroup", "room", "joined");
        await ExpectOnceAsync(member, "joined");

        await admin.InvokeAsync("RemoveFromGroup", memberId, "room");
        await admin.InvokeAsync("SendGroup", "room", "left");
        Assert.Empty(await member.DrainAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_hub_on_one_server_gets_a_client_result_from_a_connection_on_another_server()
    {
        var asker = await ClientAsync(0);
        await using var answerer = await AnsweringClient.ConnectAsync(_servers[2].HubUri, answer: 42);

        var result = await asker.InvokeAsync("AskClient", answerer.ConnectionId);

        Assert.Equal(42, (int)result!);
    }
}
