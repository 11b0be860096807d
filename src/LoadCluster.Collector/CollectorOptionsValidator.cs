using LoadCluster.Samples;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Collector;

/// <summary>Checks the "Collector" settings at start-up; each message names the setting and how to fix it.</summary>
internal sealed class CollectorOptionsValidator(IConfiguration configuration, RedisNames names) : IValidateOptions<CollectorOptions>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var errors = new List<string>();
        if (!HostName.IsValid(options.Host))
            errors.Add($"Collector:Host '{options.Host}' is not a valid host name: it must be {HostName.Rule} (set env Collector__Host).");
        if (options.Interval < MinInterval || options.Interval > MaxInterval)
            errors.Add($"Collector:Interval {options.Interval} is out of range: it must be between 00:00:00.1 and 01:00:00 (set env Collector__Interval, e.g. 00:00:01).");
        if (string.IsNullOrWhiteSpace(options.ProcPath))
            errors.Add("Collector:ProcPath is empty: set it to the folder holding /proc files, e.g. /proc (env Collector__ProcPath).");
        if (options.HistoryMinutes is < 10 or > 1440)
            errors.Add($"Collector:HistoryMinutes {options.HistoryMinutes} is out of range: it must be 10 to 1440 (env Collector__HistoryMinutes).");
        if (options.TraceEvery is < 0 or > 1_000_000)
            errors.Add($"Collector:TraceEvery {options.TraceEvery} is out of range: it must be 0 (none) to 1000000 samples per sample traced end to end (env Collector__TraceEvery, e.g. 1000).");
        if (HostOfUser() is { } enrolled && enrolled != options.Host)
            errors.Add($"Collector:Host '{options.Host}' is not the host ConnectionStrings:redis is enrolled for ('{enrolled}', from its user): " +
                $"Redis refuses every sample of another host. Set env Collector__Host={enrolled}, as the enrollment's environment file does.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // The enrollment names the user after the host (RedisAcl.HostUser); a string ServiceDefaults
    // cannot parse is reported there.
    private string? HostOfUser()
    {
        try
        {
            return configuration.GetConnectionString("redis") is { Length: > 0 } value ? new RedisAcl(names).HostOfUser(ConfigurationOptions.Parse(value).User) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
