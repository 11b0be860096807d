using LoadCluster.Samples;
using Microsoft.Extensions.Configuration;

namespace LoadCluster.Collector.Tests.Samples;

public sealed class RedisNamesTests
{
    [Fact]
    public void Default_names_follow_the_documented_contract()
    {
        var names = new RedisNames();
        Assert.Equal("loadcluster:samples:web-1", names.SamplesChannel("web-1"));
        Assert.Equal("samples:web-1", RedisNames.Samples("web-1"));
        Assert.Equal("loadcluster:samples:*", names.SamplesChannelPattern);
        Assert.Equal("loadcluster:latest:web-1", names.Latest("web-1"));
        Assert.Equal("loadcluster:points:web-1", names.Recent("web-1"));
        Assert.Equal("loadcluster:points1h:web-1", names.Rollup("web-1", RollupLevel.Hour));
        Assert.Equal("loadcluster:hosts", names.Hosts);
        Assert.Equal("loadcluster:collector:web-1", names.Collector("web-1"));
        Assert.Equal("loadcluster:replica:web-2", names.Replica("web-2"));
        Assert.Equal("loadcluster:replicas", names.Replicas);
    }

    [Fact]
    public void Prefix_comes_from_the_LoadCluster_Prefix_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("LoadCluster:Prefix", "staging:lc")]).Build();
        Assert.Equal("staging:lc:samples:a", RedisNames.FromConfiguration(configuration).SamplesChannel("a"));
        Assert.Equal("loadcluster", RedisNames.FromConfiguration(new ConfigurationBuilder().Build()).Prefix);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("with space")]
    [InlineData("star*")]
    [InlineData("")]
    public void Invalid_prefix_is_refused_naming_the_setting(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => new RedisNames(prefix));
        Assert.Contains("LoadCluster:Prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_name_that_could_address_another_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RedisNames().Latest("x:history:y"));
        Assert.Throws<ArgumentException>(() => RedisNames.Samples("a*"));
    }

    [Theory]
    [InlineData("samples:web-1", "web-1")]
    [InlineData("samples:a.b_c-d", "a.b_c-d")]
    [InlineData("samples:", null)]
    [InlineData("samples:a:b", null)]
    [InlineData("samples:a*", null)]
    [InlineData("signout", null)]
    [InlineData("probe:web-1", null)]
    public void The_host_of_a_samples_channel_is_read_from_the_channel_only_when_it_is_one(string channel, string? host)
    {
        Assert.Equal(host, RedisNames.HostOfSamples(channel));
    }

    [Fact]
    public void Host_keys_are_every_key_a_collector_writes_and_all_of_them_name_the_host()
    {
        var names = new RedisNames();
        Assert.Equal(
            ["loadcluster:latest:a", "loadcluster:points:a", "loadcluster:points1h:a", "loadcluster:points24h:a", "loadcluster:collector:a"],
            names.HostKeys("a"));
    }
}
