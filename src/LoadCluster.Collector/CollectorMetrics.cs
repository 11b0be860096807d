using System.Diagnostics.Metrics;

namespace LoadCluster.Collector;

/// <summary>
/// The collector's meter, "LoadCluster.Collector" (exported by ServiceDefaults' LoadCluster* subscription),
/// named after OpenTelemetry's conventions: samples sent, and samples not sent by <c>error.type</c>.
/// </summary>
public sealed class CollectorMetrics
{
    public const string MeterName = "LoadCluster.Collector";

    private static readonly KeyValuePair<string, object?> Refused = new("error.type", "redis"), Busy = new("error.type", "in_flight");

    private readonly Counter<long> _published;
    private readonly Counter<long> _dropped;

    public CollectorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("loadcluster.collector.published_samples", "{sample}", "Samples written to Redis and published");
        _dropped = meter.CreateCounter<long>("loadcluster.collector.dropped_samples", "{sample}",
            "Samples not sent, by error.type: redis (Redis refused them or could not take them), in_flight (the previous one was still being written)");
    }

    public void Published() => _published.Add(1);

    public void Failed() => _dropped.Add(1, Refused);

    public void Dropped() => _dropped.Add(1, Busy);
}
