namespace LoadCluster.AppHost.Tests;

public class CommandLineTests
{
    [Fact]
    public void No_arguments_mean_three_replicas_on_port_8080()
    {
        Assert.True(CommandLine.TryParse([], out var result, out _));
        Assert.Equal(new CommandLine(3, 8080, false), result);
    }

    [Theory]
    [InlineData("--replicas 5 --port 9000")]
    [InlineData("--replicas=5 --port=9000")]
    [InlineData("--port 9000 --replicas 5")]
    public void Replicas_and_port_are_read_in_either_form(string args)
    {
        Assert.True(CommandLine.TryParse(args.Split(' '), out var result, out var error));
        Assert.Null(error);
        Assert.Equal(new CommandLine(5, 9000, false), result);
    }

    [Theory]
    [InlineData("--replicas 0", "--replicas must be a whole number from 1 to 64 (got '0')")]
    [InlineData("--replicas three", "--replicas must be a whole number from 1 to 64 (got 'three')")]
    [InlineData("--port 70000", "--port must be a whole number from 1 to 65535 (got '70000')")]
    [InlineData("--port -1", "--port must be a whole number from 1 to 65535 (got '-1')")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--verbose", "unknown option '--verbose'")]
    public void Bad_options_are_refused_with_a_reason(string args, string expected)
    {
        Assert.False(CommandLine.TryParse(args.Split(' '), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(CommandLine.TryParse(["--help"], out var result, out _));
        Assert.True(result.Help);
        Assert.Contains("--replicas N", CommandLine.Usage, StringComparison.Ordinal);
    }
}
