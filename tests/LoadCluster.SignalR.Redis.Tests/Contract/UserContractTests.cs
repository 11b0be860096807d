using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: sends to users, whose connections may be on several servers.</summary>
public sealed class UserContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task A_user_with_connections_on_two_servers_gets_the_message_on_each_once()
    {
        await using var cluster = await ClusterAsync(3);
        var first = await cluster[0].ConnectAsync("ada");
        var second = await cluster[1].ConnectAsync("ada");
        var third = await cluster[1].ConnectAsync("ada");
        var someoneElse = await cluster[1].ConnectAsync("bob");

        await cluster[2].Manager.SendUserAsync("ada", "m", ["u"]);

        await Expect.EachOnceAsync([first, second, third], "u");
        await Expect.NothingAsync(someoneElse);
    }

    [Fact]
    public async Task Send_to_several_users_reaches_each_of_their_connections_once()
    {
        await using var cluster = await ClusterAsync(2);
        var ada = await cluster[0].ConnectAsync("ada");
        var bob = await cluster[1].ConnectAsync("bob");
        var carol = await cluster[1].ConnectAsync("carol");

        await cluster[0].Manager.SendUsersAsync(["ada", "bob", "bob"], "m", ["us"]);

        await Expect.OnceAsync(ada, "us");
        await Expect.OnceAsync(bob, "us");
        await Expect.NothingAsync(carol);
    }

    [Fact]
    public async Task After_one_of_a_users_connections_leaves_the_others_still_get_messages()
    {
        await using var cluster = await ClusterAsync(2);
        var leaving = await cluster[1].ConnectAsync("ada");
        var staying = await cluster[1].ConnectAsync("ada");
        var elsewhere = await cluster[0].ConnectAsync("ada");
        await cluster[1].Manager.OnDisconnectedAsync(leaving);

        await cluster[0].Manager.SendUserAsync("ada", "m", ["still"]);

        await Expect.OnceAsync(staying, "still");
        await Expect.OnceAsync(elsewhere, "still");
        await Expect.NothingAsync(leaving);
    }
}
