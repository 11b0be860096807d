using StackExchange.Redis;

namespace LoadCluster.Web.Redis;

/// <summary>The SignalR backplane's connection factory: the replica's one shared multiplexer, once it is connected.</summary>
internal static class BackplaneConnection
{
    /// <summary>
    /// The official lifetime manager subscribes its own channels right after the factory returns
    /// and, if that fails, never again. Failing here while Redis is away makes it call the factory
    /// again on its next use (a connect or a send), so it always starts complete.
    /// </summary>
    public static Task<IConnectionMultiplexer> SharedAsync(IConnectionMultiplexer redis) =>
        redis.IsConnected
            ? Task.FromResult(redis)
            : Task.FromException<IConnectionMultiplexer>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None,
                "Redis is not connected; the SignalR backplane will connect on its next use."));
}
