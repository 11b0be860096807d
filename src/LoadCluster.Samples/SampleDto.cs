namespace LoadCluster.Samples;

/// <summary>
/// What arrives on the wire before validation: every field optional, so that a missing field
/// becomes a clear error from <see cref="SampleJson.TryParse"/> instead of a default value.
/// </summary>
internal sealed class SampleDto
{
    public int? V { get; set; }
    public string? Host { get; set; }
    public long? Ts { get; set; }
    public double? Load1 { get; set; }
    public double? Load5 { get; set; }
    public double? Load15 { get; set; }
    public int? Cores { get; set; }
    public double? Cpu { get; set; }
    public double[]? PerCore { get; set; }
    public long? MemUsed { get; set; }
    public long? MemTotal { get; set; }
    public double? Uptime { get; set; }
    public int? Runnable { get; set; }
    public int? Tasks { get; set; }
    public int? IntervalMs { get; set; }

    /// <summary>Any JSON value: one that is not a string is ignored, never an error (see <see cref="Sample.Traceparent"/>).</summary>
    public System.Text.Json.JsonElement? Traceparent { get; set; }
}
