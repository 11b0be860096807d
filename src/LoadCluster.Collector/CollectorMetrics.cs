using System.Diagnostics.Metrics;

namespace LoadCluster.Collector;

/// <summary>The collector's meter, "LoadCluster.Collector" (exported by ServiceDefaults' LoadCluster* subscription).</summary>
public sealed class CollectorMetrics
{
    public const string MeterName = "LoadCluster.Collector";

    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _dropped;

    public CollectorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("loadcluster.collector.samples.published", "{sample}", "Samples written to Redis and published");
        _failures = meter.CreateCounter<long>("loadcluster.collector.publish.failures", "{sample}", "Samples Redis refused or could not take");
        _dropped = meter.CreateCounter<long>("loadcluster.collector.samples.dropped", "{sample}", "Samples not sent because the previous one was still in flight");
    }

    public void Published() => _published.Add(1);

    public void Failed() => _failures.Add(1);

    public void Dropped() => _dropped.Add(1);
}
