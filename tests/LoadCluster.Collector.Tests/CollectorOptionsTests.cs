using LoadCluster.Samples;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector.Tests;

public sealed class CollectorOptionsTests
{
    private static ValidateOptionsResult Validate(CollectorOptions options, string redis = "127.0.0.1:6379") =>
        new CollectorOptionsValidator(new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:redis", redis)]).Build(), new RedisNames())
            .Validate(null, options);

    [Fact]
    public void A_host_name_other_than_the_enrolled_users_is_refused_naming_both_settings()
    {
        const string enrolled = "127.0.0.1:6379,user=loadcluster.host.web-17,password=x";
        var error = Validate(new CollectorOptions { Host = "web-18" }, enrolled).FailureMessage;
        Assert.Contains("Collector:Host 'web-18'", error, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:redis", error, StringComparison.Ordinal);
        Assert.Contains("Collector__Host=web-17", error, StringComparison.Ordinal);
        Assert.True(Validate(new CollectorOptions { Host = "web-17" }, enrolled).Succeeded);
        // A user that is not a host user of this cluster (one password for all, or another cluster's) is not checked.
        Assert.True(Validate(new CollectorOptions { Host = "web-18" }, "127.0.0.1:6379,user=other.host.web-17,password=x").Succeeded);
    }

    [Fact]
    public void Defaults_are_valid_and_sample_every_second_from_proc()
    {
        var options = new CollectorOptions();
        Assert.True(Validate(options).Succeeded, Validate(options).FailureMessage);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Equal("/proc", options.ProcPath);
        Assert.Equal(Environment.MachineName, options.Host);
    }

    [Theory]
    [InlineData("Host", "bad host", "Collector:Host")]
    [InlineData("Host", "", "Collector:Host")]
    [InlineData("Interval", "00:00:00.050", "Collector:Interval")]
    [InlineData("Interval", "02:00:00", "Collector:Interval")]
    [InlineData("ProcPath", " ", "Collector:ProcPath")]
    [InlineData("HistoryMinutes", "5", "Collector:HistoryMinutes")]
    [InlineData("TraceEvery", "-1", "Collector:TraceEvery")]
    public void Invalid_setting_is_refused_with_a_message_naming_it(string setting, string value, string named)
    {
        var options = new CollectorOptions();
        switch (setting)
        {
            case "Host": options.Host = value; break;
            case "Interval": options.Interval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ProcPath": options.ProcPath = value; break;
            case "TraceEvery": options.TraceEvery = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.HistoryMinutes = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Latest_ttl_is_at_least_thirty_seconds_or_ten_intervals_and_history_holds_the_configured_minutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new CollectorOptions { Interval = TimeSpan.FromSeconds(1) }.LatestTtl);
        Assert.Equal(TimeSpan.FromSeconds(100), new CollectorOptions { Interval = TimeSpan.FromSeconds(10) }.LatestTtl);
        Assert.Equal(900, new CollectorOptions { Interval = TimeSpan.FromSeconds(1), HistoryMinutes = 15 }.HistoryLength);
        Assert.Equal(3000, new CollectorOptions { Interval = TimeSpan.FromMilliseconds(200), HistoryMinutes = 10 }.HistoryLength);
    }
}
