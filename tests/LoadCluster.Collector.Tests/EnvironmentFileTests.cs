namespace LoadCluster.Collector.Tests;

public sealed class EnvironmentFileTests
{
    [Fact]
    public void Key_value_lines_become_settings_with_sections_and_comments_and_blank_lines_are_skipped()
    {
        var settings = EnvironmentFile.Parse("collector.env",
        [
            "# written by the enrollment",
            "",
            "; also a comment",
            "ConnectionStrings__redis=10.0.0.5:6379,user=host-web-01,password=a=b,ssl=true",
            "  Collector__Host = web-01  ",
            "Collector__Interval=\"00:00:05\"",
            "Logging__LogLevel__StackExchange.Redis='Warning'",
        ]);
        Assert.Equal("10.0.0.5:6379,user=host-web-01,password=a=b,ssl=true", settings["ConnectionStrings:redis"]);
        Assert.Equal("web-01", settings["Collector:Host"]);
        Assert.Equal("00:00:05", settings["Collector:Interval"]);
        Assert.Equal("Warning", settings["Logging:LogLevel:StackExchange.Redis"]);
        Assert.Equal(4, settings.Count);
    }

    [Theory]
    [InlineData("my password=hunter2", "hunter2")]
    [InlineData("just-a-word", "just-a-word")]
    public void A_line_that_is_not_key_value_is_refused_by_its_number_without_its_text(string line, string notShown)
    {
        var e = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Parse("/etc/loadcluster/collector.env", ["# ok", line]));
        Assert.Equal("Cannot use the environment file /etc/loadcluster/collector.env: line 2 is not KEY=value.", e.Message);
        Assert.DoesNotContain(notShown, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_optional_file_gives_no_settings()
    {
        Assert.Empty(EnvironmentFile.Read("/nonexistent/collector.env", optional: true));
        Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read("/nonexistent/collector.env"));
    }
}
