using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Pushing;

public sealed class PushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private const string Refresh = "<turbo-stream action=\"refresh\"></turbo-stream>";

    [Fact]
    public async Task A_push_to_a_user_reaches_every_connection_of_that_user_and_no_one_else()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var aliceTab1 = await app.ConnectAsync(user: "alice");
        await using var aliceTab2 = await app.ConnectAsync(user: "alice");
        await using var bob = await app.ConnectAsync(user: "bob");
        await using var anonymous = await app.ConnectAsync();

        await app.Push.ToUsersAsync("alice", TurboStream.Append("inbox", "<li>for alice</li>").ToString());

        Assert.Contains("for alice", (string?)(await aliceTab1.NextAsync("turbo-stream", Wait)).Arguments[0], StringComparison.Ordinal);
        Assert.Contains("for alice", (string?)(await aliceTab2.NextAsync("turbo-stream", Wait)).Arguments[0], StringComparison.Ordinal);
        Assert.Empty(await bob.DrainAsync(Quiet));
        Assert.Empty(await anonymous.DrainAsync(Quiet));
    }

    [Fact]
    public async Task The_user_id_of_a_connection_is_replaceable_through_IUserIdProvider()
    {
        await using var app = await TurboTestApp.StartAsync(builder => builder.Services.AddSingleton<IUserIdProvider, UpperCaseUserIdProvider>());
        await using var alice = await app.ConnectAsync(user: "alice");

        await app.Push.ToUsersAsync("alice", Refresh);
        await app.Push.ToUsersAsync("ALICE", TurboStream.Remove("x").ToString());

        Assert.Equal(TurboStream.Remove("x").ToString(), (string?)(await alice.NextAsync("turbo-stream", Wait)).Arguments[0]);
        Assert.Empty(await alice.DrainAsync(Quiet));
    }

    [Fact]
    public async Task Pushing_to_a_user_who_is_not_connected_is_not_an_error()
    {
        await using var app = await TurboTestApp.StartAsync();
        await app.Push.ToUsersAsync(["nobody", "no-one-else"], Refresh);
        await app.Push.ToStreamsAsync("no-subscribers", Refresh);
        await app.Push.ToLocalSubscribersAsync("no-subscribers", Refresh);
    }

    [Fact]
    public async Task A_push_to_all_reaches_every_connection()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var a = await app.ConnectAsync();
        await using var b = await app.ConnectAsync(user: "bob");

        await app.Push.ToAllAsync(Refresh);

        Assert.Equal(Refresh, (string?)(await a.NextAsync("turbo-stream", Wait)).Arguments[0]);
        Assert.Equal(Refresh, (string?)(await b.NextAsync("turbo-stream", Wait)).Arguments[0]);
    }

    [Fact]
    public async Task A_local_push_reaches_exactly_this_node_s_subscribers_of_the_stream()
    {
        await using var app = await TurboTestApp.StartAsync();
        await using var subscriber1 = await app.ConnectAsync();
        await using var subscriber2 = await app.ConnectAsync();
        await using var other = await app.ConnectAsync();
        await subscriber1.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await subscriber2.InvokeAsync("Subscribe", app.Signer.Sign("hosts"));
        await other.InvokeAsync("Subscribe", app.Signer.Sign("host:a"));

        Assert.Equal(2, app.Push.LocalSubscriberCount("hosts"));
        Assert.Equal(3, app.Push.LocalConnectionCount);
        var multiLine = "<turbo-stream action=\"update\" target=\"t\"><template>line 1\nline 2 ünï</template></turbo-stream>";
        await app.Push.ToLocalSubscribersAsync("hosts", multiLine);

        Assert.Equal(multiLine, (string?)(await subscriber1.NextAsync("turbo-stream", Wait)).Arguments[0]);
        Assert.Equal(multiLine, (string?)(await subscriber2.NextAsync("turbo-stream", Wait)).Arguments[0]);
        Assert.Empty(await other.DrainAsync(Quiet));
        Assert.Empty(await subscriber1.DrainAsync(Quiet));
    }

    [Fact]
    public async Task Bad_push_arguments_are_refused_with_a_clear_message()
    {
        await using var app = await TurboTestApp.StartAsync();
        Assert.Contains("stream name", (await Assert.ThrowsAsync<ArgumentException>(() => app.Push.ToStreamsAsync(["hosts", ""], Refresh))).Message, StringComparison.Ordinal);
        Assert.Contains("user id", (await Assert.ThrowsAsync<ArgumentException>(() => app.Push.ToUsersAsync(["", "bob"], Refresh))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => app.Push.ToAllAsync(null!));
    }
}
