using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.SignalR.Redis;

/// <summary>Refuses a configuration the backplane cannot work with, naming the setting to fix.</summary>
internal sealed class RedisBackplaneOptionsValidator : IValidateOptions<RedisBackplaneOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisBackplaneOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add("RedisBackplaneOptions.Configuration is empty: pass the Redis configuration string to AddRedisBackplane, e.g. \"127.0.0.1:6379\" (usually from ConnectionStrings:redis).");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration).EndPoints.Count == 0)
                    errors.Add("RedisBackplaneOptions.Configuration names no Redis endpoint: write it as \"host:port[,option=value...]\".");
            }
            catch (ArgumentException e)
            {
                // The message names the bad keyword; the string itself may hold a password, so it is not repeated.
                errors.Add($"RedisBackplaneOptions.Configuration cannot be parsed: {e.Message}");
            }
        }
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix))
            errors.Add("RedisBackplaneOptions.ChannelPrefix is empty: give each app sharing a Redis its own prefix (default \"loadcluster\").");
        if (options.AckTimeout <= TimeSpan.Zero)
            errors.Add("RedisBackplaneOptions.AckTimeout must be positive (e.g. 00:00:10).");
        if (options.PublishTimeout <= TimeSpan.Zero)
            errors.Add("RedisBackplaneOptions.PublishTimeout must be positive (e.g. 00:00:05).");
        if (options.ProbeInterval <= TimeSpan.Zero)
            errors.Add("RedisBackplaneOptions.ProbeInterval must be positive (e.g. 00:00:05).");
        if (options.ReceiveQueueCapacity <= 0)
            errors.Add("RedisBackplaneOptions.ReceiveQueueCapacity must be positive (default 10000).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
