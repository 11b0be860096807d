namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>Add or remove a connection held by another server; the owner answers with an ack.</summary>
internal readonly record struct RedisGroupCommand(int Id, string Origin, GroupAction Action, string GroupName, string ConnectionId);

/// <summary>Travels on the wire: never change the numbers.</summary>
internal enum GroupAction : byte
{
    Add = 1,
    Remove = 2,
}
