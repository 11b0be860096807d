namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>A message received on one of this server's channels, queued for the manager's reader loop.</summary>
internal readonly record struct IncomingMessage(ChannelKind Kind, string Key, string Channel, byte[] Data);

internal enum ChannelKind
{
    All,
    Connection,
    Group,
    User,
    GroupManagement,
    Ack,
    Return,
}
