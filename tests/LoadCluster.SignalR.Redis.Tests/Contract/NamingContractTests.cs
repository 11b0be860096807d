using LoadCluster.SignalR.Redis.Tests.Infrastructure;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: group names, user ids and channel prefixes: literal, case-sensitive, isolated.</summary>
public sealed class NamingContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task Group_and_user_names_are_literal_so_wildcards_match_nothing_else()
    {
        await using var cluster = await ClusterAsync(2);
        var inAb = await cluster[1].ConnectAsync("ab");
        await cluster[1].Manager.AddToGroupAsync(inAb.ConnectionId, "ab");
        var inStar = await cluster[1].ConnectAsync("a*");
        await cluster[1].Manager.AddToGroupAsync(inStar.ConnectionId, "a*");

        await cluster[0].Manager.SendGroupAsync("a*", "m", ["g*"]);
        await cluster[0].Manager.SendGroupAsync("a?", "m", ["g?"]);
        await cluster[0].Manager.SendGroupAsync("[a]b", "m", ["g[]"]);
        await cluster[0].Manager.SendUserAsync("a*", "m", ["u*"]);

        var starReceived = (await inStar.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument);
        Assert.Equal(["g*", "u*"], starReceived);
        await Expect.NothingAsync(inAb);
    }

    [Fact]
    public async Task Group_names_and_user_ids_are_case_sensitive()
    {
        await using var cluster = await ClusterAsync(2);
        var lower = await cluster[1].ConnectAsync("ada");
        await cluster[1].Manager.AddToGroupAsync(lower.ConnectionId, "admins");

        await cluster[0].Manager.SendGroupAsync("Admins", "m", ["G"]);
        await cluster[0].Manager.SendUserAsync("ADA", "m", ["U"]);
        await Expect.NothingAsync(lower);

        await cluster[0].Manager.SendGroupAsync("admins", "m", ["g"]);
        await Expect.OnceAsync(lower, "g");
    }

    [Fact]
    public async Task Two_apps_with_different_prefixes_share_one_redis_without_seeing_each_other()
    {
        await using var appA = await ClusterAsync(2);
        await using var appB = await ClusterAsync(2);
        var inA = await appA[1].ConnectAsync("ada");
        var inB = await appB[1].ConnectAsync("ada");

        await appA[0].Manager.SendAllAsync("m", ["a"]);
        await appA[0].Manager.SendUserAsync("ada", "m", ["a-user"]);

        Assert.Equal(["a", "a-user"], (await inA.DrainAsync(TimeSpan.FromSeconds(1))).Select(r => r.FirstArgument));
        await Expect.NothingAsync(inB);
    }
}
