using Microsoft.Extensions.Configuration;

namespace LoadCluster.AppHost.Tests;

public sealed class ClusterArgumentsTests
{
    private static IConfiguration Args(params string[] args) => new ConfigurationBuilder().AddCommandLine(args).Build();

    [Fact]
    public void Defaults_are_three_replicas_on_port_8080_and_redis_chosen_by_the_machine()
    {
        Assert.Equal(new ClusterArguments(3, 8080, RedisMode.Auto, null), ClusterArguments.Read(Args()));
    }

    [Fact]
    public void Both_spellings_of_each_option_are_read()
    {
        Assert.Equal(new ClusterArguments(5, 9000, RedisMode.Local, null), ClusterArguments.Read(Args("--replicas", "5", "--port=9000", "--redis", "Local")));
    }

    [Fact]
    public void The_fleet_simulator_is_off_unless_simulate_names_how_many_hosts()
    {
        Assert.Null(ClusterArguments.Read(Args()).Simulate);
        Assert.Equal(1000, ClusterArguments.Read(Args("--simulate", "1000")).Simulate);
    }

    [Fact]
    public void A_redis_connection_string_means_no_redis_is_started()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = "10.0.0.5:6379" }).Build();
        Assert.Equal("10.0.0.5:6379", ClusterArguments.Read(configuration).ExternalRedis);
    }

    [Theory]
    [InlineData("--replicas", "0", "--replicas must be a whole number from 1 to 64 (got '0')")]
    [InlineData("--replicas", "65", "--replicas must be a whole number from 1 to 64 (got '65')")]
    [InlineData("--replicas", "three", "--replicas must be a whole number from 1 to 64 (got 'three')")]
    [InlineData("--port", "70000", "--port must be a whole number from 1 to 65535 (got '70000')")]
    [InlineData("--port", "-1", "--port must be a whole number from 1 to 65535 (got '-1')")]
    [InlineData("--redis", "memcached", "--redis must be auto, container or local (got 'memcached')")]
    [InlineData("--simulate", "0", "--simulate must be a whole number from 1 to 100000 (got '0')")]
    [InlineData("--simulate", "lots", "--simulate must be a whole number from 1 to 100000 (got 'lots')")]
    public void A_bad_value_is_refused_naming_the_option_the_rule_and_the_value(string option, string value, string message)
    {
        var error = Assert.Throws<ClusterStartException>(() => ClusterArguments.Read(Args(option, value))).Message;
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Contains(ClusterArguments.Usage, error, StringComparison.Ordinal);
    }
}
