using System.Text;
using System.Text.Json.Nodes;
using LoadCluster.Samples;

namespace LoadCluster.Collector.Tests.Samples;

public sealed class SampleJsonTests
{
    private const string ContractJson =
        """{"v":1,"host":"web-1","ts":1763750000000,"load1":0.5,"load5":0.25,"load15":0.125,"cores":2,"cpu":12.5,"perCore":[10,15],"memUsed":1024,"memTotal":4096,"uptime":3600.5,"runnable":1,"tasks":250,"intervalMs":1000}""";

    private static Sample Contract() => new()
    {
        Host = "web-1", Ts = 1763750000000, Load1 = 0.5, Load5 = 0.25, Load15 = 0.125, Cores = 2, Cpu = 12.5,
        PerCore = [10, 15], MemUsed = 1024, MemTotal = 4096, Uptime = 3600.5, Runnable = 1, Tasks = 250, IntervalMs = 1000,
    };

    [Fact]
    public void Serialize_writes_the_documented_wire_format_exactly()
    {
        Assert.Equal(ContractJson, Encoding.UTF8.GetString(SampleJson.Serialize(Contract())));
    }

    [Fact]
    public void Optional_fields_are_left_out_when_absent_and_parse_as_null()
    {
        var json = Encoding.UTF8.GetString(SampleJson.Serialize(Contract() with { Runnable = null, Tasks = null, IntervalMs = null }));
        Assert.DoesNotContain("runnable", json, StringComparison.Ordinal);
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json), out var sample, out _));
        Assert.Null(sample.IntervalMs);
    }

    [Fact]
    public void Parse_reads_every_field_back()
    {
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(ContractJson), out var sample, out var error), error);
        var expected = Contract();
        Assert.Equal(expected.PerCore, sample.PerCore);
        Assert.Equal(expected with { PerCore = sample.PerCore }, sample);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1763750000000), sample.Time);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var json = ContractJson.Replace("{\"v\":1,", "{\"v\":1,\"gpu\":{\"busy\":3},\"tags\":[\"a\"],", StringComparison.Ordinal);
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json), out var sample, out var error), error);
        Assert.Equal("web-1", sample.Host);
    }

    [Theory]
    [InlineData("v", null, "v: missing")]
    [InlineData("v", "2", "v: unsupported version 2")]
    [InlineData("host", null, "host: missing")]
    [InlineData("host", "\"\"", "host: must be")]
    [InlineData("host", "\"web 1\"", "host: must be")]
    [InlineData("host", "\"a:history:b\"", "host: must be")]
    [InlineData("host", "42", "host: wrong type")]
    [InlineData("ts", null, "ts: missing")]
    [InlineData("ts", "0", "ts: must be a positive")]
    [InlineData("ts", "\"yesterday\"", "ts: wrong type")]
    [InlineData("load1", null, "load1: missing")]
    [InlineData("load1", "-0.1", "load1: must be a finite number >= 0")]
    [InlineData("load5", "-1", "load5: must be a finite number >= 0")]
    [InlineData("load15", null, "load15: missing")]
    [InlineData("cores", null, "cores: missing")]
    [InlineData("cores", "0", "cores: must be 1–4096")]
    [InlineData("cores", "4097", "cores: must be 1–4096")]
    [InlineData("cores", "1.5", "cores: wrong type")]
    [InlineData("cpu", null, "cpu: missing")]
    [InlineData("cpu", "100.1", "cpu: must be a percentage 0–100")]
    [InlineData("cpu", "-1", "cpu: must be a percentage 0–100")]
    [InlineData("perCore", null, "perCore: missing")]
    [InlineData("perCore", "[10]", "perCore: has 1 values but cores is 2")]
    [InlineData("perCore", "[10,101]", "perCore[1]: must be a percentage 0–100")]
    [InlineData("perCore", "10", "perCore: wrong type")]
    [InlineData("memTotal", null, "memTotal: missing")]
    [InlineData("memTotal", "-1", "memTotal: must be >= 0")]
    [InlineData("memUsed", null, "memUsed: missing")]
    [InlineData("memUsed", "4097", "memUsed: must be between 0 and memTotal")]
    [InlineData("memUsed", "-1", "memUsed: must be between 0 and memTotal")]
    [InlineData("uptime", null, "uptime: missing")]
    [InlineData("uptime", "-1", "uptime: must be a finite number of seconds >= 0")]
    [InlineData("runnable", "-1", "runnable: must be >= 0")]
    [InlineData("tasks", "-1", "tasks: must be >= 0")]
    [InlineData("intervalMs", "0", "intervalMs: must be > 0")]
    public void Invalid_field_is_refused_with_an_error_naming_it(string field, string? value, string expectedError)
    {
        var json = JsonNode.Parse(ContractJson)!.AsObject();
        if (value is null) json.Remove(field);
        else json[field] = JsonNode.Parse(value);

        Assert.False(SampleJson.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var sample, out var error));
        Assert.Null(sample);
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"v\":1,")]
    [InlineData("\u00ff\u00fe")]
    public void Garbage_is_refused_without_throwing(string text)
    {
        Assert.False(SampleJson.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Validate_applies_the_parser_rules_to_a_sample_built_in_code()
    {
        Assert.Null(SampleJson.Validate(Contract()));
        Assert.StartsWith("perCore:", SampleJson.Validate(Contract() with { Cores = 3 }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_traceparent_is_written_last_and_read_back()
    {
        const string traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var json = Encoding.UTF8.GetString(SampleJson.Serialize(Contract() with { Traceparent = traceparent }));
        Assert.Equal(ContractJson[..^1] + $",\"traceparent\":\"{traceparent}\"}}", json);
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json), out var sample, out var error), error);
        Assert.Equal(traceparent, sample.Traceparent);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("{\"a\":1}")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_traceparent_that_is_not_a_string_is_ignored_and_the_sample_is_valid(string value)
    {
        var json = JsonNode.Parse(ContractJson)!.AsObject();
        json["traceparent"] = JsonNode.Parse(value);
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var sample, out var error), error);
        Assert.Null(sample.Traceparent);
    }

    [Fact]
    public void A_traceparent_too_long_is_ignored_and_one_that_is_no_trace_context_is_kept_for_the_reader_to_ignore()
    {
        var json = JsonNode.Parse(ContractJson)!.AsObject();
        json["traceparent"] = new string('0', SampleJson.MaxTraceparentLength + 1);
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out var sample, out var error), error);
        Assert.Null(sample.Traceparent);
        json["traceparent"] = "garbage";
        Assert.True(SampleJson.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), out sample, out error), error);
        Assert.Equal("garbage", sample.Traceparent);
    }
}
