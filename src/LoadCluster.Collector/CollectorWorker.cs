using System.Diagnostics;
using LoadCluster.Collector.Proc;
using LoadCluster.Samples;
using LoadCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector;

/// <summary>
/// Samples on a <see cref="PeriodicTimer"/> (ticks stay on the interval grid, a slow tick does not
/// shift the next ones) and hands each sample to the publisher, which never blocks the loop. The
/// reading taken at start (a missing or malformed /proc file stops the start-up) is published at
/// once, so a new host is on the board within its start time, not one interval later.
/// </summary>
internal sealed class CollectorWorker(Sampler sampler, SamplePublisher publisher, HeartbeatFile heartbeat, RedisNames names,
    SampleJourneys journeys, IOptions<CollectorOptions> options, TimeProvider time, ILogger<CollectorWorker> logger) : BackgroundService
{
    private readonly CollectorOptions _options = options.Value;
    private Sample? _first;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _first = sampler.Read();
        }
        catch (ProcFileException e)
        {
            Log.ProcFileUnusable(logger, e.FilePath, e.Reason);
            throw;
        }
        Log.Started(logger, _options.Host, (int)_options.Interval.TotalMilliseconds, _options.ProcPath, names.SamplesChannel(_options.Host));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, time);
        if (_first is not null)
        {
            publisher.TryPublish(_first);
            heartbeat.Touch();
        }
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // The span ends when the sample's writes do (the publisher ends it); the loop goes on outside it.
                var work = CollectorTracing.StartSample(journeys.Next());
                Activity.Current = null;
                Sample sample;
                try
                {
                    using (CollectorTracing.StartRead(work)) sample = sampler.Read();
                    Activity.Current = null;
                }
                catch (ProcFileException e)
                {
                    work?.SetStatus(ActivityStatusCode.Error, e.Reason).Dispose();
                    if (!failing) Log.SamplingFailed(logger, e.FilePath, e.Reason);
                    failing = true;
                    continue;
                }
                if (failing) Log.SamplingRecovered(logger);
                failing = false;
                var journey = work is { Kind: ActivityKind.Producer, Recorded: true };
                // The span's own W3C id is the traceparent: "00-{trace id}-{span id}-01".
                if (journey) sample = sample with { Traceparent = work!.Id };
                if (publisher.TryPublish(sample, work) && journey) Log.JourneyPublished(logger, sample.Host, work!.TraceId.ToString());
                heartbeat.Touch();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Let the last batch finish (it never throws), bounded by the host's shutdown timeout.
        await publisher.Completion.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
