namespace LoadCluster.Turbo;

/// <summary>Outcome of adding a stream to a connection's local subscriptions.</summary>
internal enum SubscribeResult
{
    Added,
    AlreadySubscribed,
    LimitReached,
    UnknownConnection,
}
