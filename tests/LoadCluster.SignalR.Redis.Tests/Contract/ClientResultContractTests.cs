using System.Buffers;
using System.Text;
using LoadCluster.SignalR.Redis.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Tests.Contract;

/// <summary>Scale-out contract: client results (<c>InvokeConnectionAsync</c>) local and across servers.</summary>
public sealed class ClientResultContractTests(RedisFixture redis) : ScaleoutContract(redis)
{
    [Fact]
    public async Task Client_results_work_for_a_local_connection()
    {
        await using var cluster = await ClusterAsync(2);
        var local = await cluster[0].ConnectAsync();

        var pending = cluster[0].Manager.InvokeConnectionAsync<int>(local.ConnectionId, "ask", [], CancellationToken.None);
        var invocation = await local.NextAsync();
        Assert.Equal("ask", invocation.Target);
        Assert.True(cluster[0].Manager.TryGetReturnType(invocation.InvocationId!, out var type));
        Assert.Equal(typeof(int), type);
        await cluster[0].Manager.SetConnectionResultAsync(local.ConnectionId, CompletionMessage.WithResult(invocation.InvocationId!, 42));

        Assert.Equal(42, await pending);
    }

    [Fact]
    public async Task Client_results_work_across_servers_with_invocation_ids_unique_across_servers()
    {
        await using var cluster = await ClusterAsync(3);
        var remote = await cluster[1].ConnectAsync();

        var fromFirst = cluster[0].Manager.InvokeConnectionAsync<int>(remote.ConnectionId, "ask", ["a"], CancellationToken.None);
        var fromThird = cluster[2].Manager.InvokeConnectionAsync<string>(remote.ConnectionId, "ask", ["b"], CancellationToken.None);
        var invocations = new[] { await remote.NextAsync(), await remote.NextAsync() };
        Assert.NotEqual(invocations[0].InvocationId, invocations[1].InvocationId);

        // What HubConnectionHandler does when the client answers: ask the manager for the type, then hand it the completion.
        foreach (var invocation in invocations)
        {
            Assert.True(cluster[1].Manager.TryGetReturnType(invocation.InvocationId!, out var type));
            Assert.Equal(typeof(RawResult), type);
            var answer = invocation.FirstArgument == "a" ? "42" : "\"forty-two\"";
            await cluster[1].Manager.SetConnectionResultAsync(remote.ConnectionId, CompletionMessage.WithResult(invocation.InvocationId!, new RawResult(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(answer)))));
        }

        Assert.Equal(42, await fromFirst.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("forty-two", await fromThird.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_remote_client_error_or_disconnect_reaches_the_asking_server_as_an_error()
    {
        await using var cluster = await ClusterAsync(2);
        var failing = await cluster[1].ConnectAsync();
        var leaving = await cluster[1].ConnectAsync();

        var failed = cluster[0].Manager.InvokeConnectionAsync<int>(failing.ConnectionId, "ask", [], CancellationToken.None);
        var invocation = await failing.NextAsync();
        cluster[1].Manager.TryGetReturnType(invocation.InvocationId!, out _);
        await cluster[1].Manager.SetConnectionResultAsync(failing.ConnectionId, CompletionMessage.WithError(invocation.InvocationId!, "client said no"));
        var error = await Assert.ThrowsAsync<HubException>(() => failed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("client said no", error.Message);

        var abandoned = cluster[0].Manager.InvokeConnectionAsync<int>(leaving.ConnectionId, "ask", [], CancellationToken.None);
        await leaving.NextAsync();
        await cluster[1].Manager.OnDisconnectedAsync(leaving);
        error = await Assert.ThrowsAsync<HubException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("disconnected", error.Message);

        await Assert.ThrowsAsync<IOException>(() => cluster[0].Manager.InvokeConnectionAsync<int>("nobody", "ask", [], CancellationToken.None));
    }

    [Fact]
    public async Task Pending_client_results_fail_when_their_connection_disconnects()
    {
        await using var cluster = await ClusterAsync(1);
        var local = await cluster[0].ConnectAsync();

        var pending = cluster[0].Manager.InvokeConnectionAsync<string>(local.ConnectionId, "ask", [], CancellationToken.None);
        await local.NextAsync();
        await cluster[0].Manager.OnDisconnectedAsync(local);

        await Assert.ThrowsAsync<IOException>(() => pending);
    }
}
