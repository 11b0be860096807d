using System.Text;
using LoadCluster.SignalR.Redis.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Tests.Components;

public sealed class RedisProtocolTests
{
    private static readonly IHubProtocol[] Protocols = [new JsonHubProtocol()];

    [Fact]
    public void An_invocation_round_trips_with_its_bytes_exclusions_groups_and_route()
    {
        var message = new SerializedHubMessage(new InvocationMessage("m", ["x"]));
        var data = RedisProtocol.WriteInvocation("server-a", ["c1"], ["g1", "g*"], message, Protocols, new ClientResultRoute("id-1", "server-a"));

        var read = RedisProtocol.ReadInvocation(data);

        Assert.Equal("server-a", read.Origin);
        Assert.Equal(["c1"], read.ExcludedConnectionIds);
        Assert.Equal(["g1", "g*"], read.Groups);
        Assert.Equal(new ClientResultRoute("id-1", "server-a"), read.ResultRoute);
        Assert.Equal(message.GetSerializedMessage(Protocols[0]).ToArray(), read.Message.GetSerializedMessage(Protocols[0]).ToArray());
    }

    [Fact]
    public void Group_commands_and_acks_round_trip()
    {
        var command = new RedisGroupCommand(7, "server-b", GroupAction.Remove, "Admins", "conn");

        Assert.Equal(command, RedisProtocol.ReadGroupCommand(RedisProtocol.WriteGroupCommand(command)));
        Assert.Equal(7, RedisProtocol.ReadAck(RedisProtocol.WriteAck(7)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("\u0001")]
    [InlineData("\u0002hello")]
    public void Bytes_that_are_not_a_backplane_message_raise_invalid_data(string text)
    {
        var data = Encoding.UTF8.GetBytes(text);

        Assert.Throws<InvalidDataException>(() => RedisProtocol.ReadInvocation(data));
        Assert.Throws<InvalidDataException>(() => RedisProtocol.ReadGroupCommand(data));
    }

    [Fact]
    public void A_truncated_invocation_raises_invalid_data()
    {
        var data = RedisProtocol.WriteInvocation("s", null, null, new SerializedHubMessage(new InvocationMessage("m", [])), Protocols);

        Assert.Throws<InvalidDataException>(() => RedisProtocol.ReadInvocation(data[..^3]));
        Assert.Throws<InvalidDataException>(() => RedisProtocol.ReadInvocation([.. data, 0]));
    }
}
