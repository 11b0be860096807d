using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector;

/// <summary>
/// Which samples carry their trace to the web replicas (a sample's journey: the collector's span,
/// then each replica's relay and pushes in the same trace): one in <see cref="CollectorOptions.TraceEvery"/>,
/// counted rather than drawn, so the rate is exact; and the next one after each SIGUSR1, whatever
/// that setting is (<c>systemctl kill -s USR1 loadcluster-collector</c>, <c>docker kill -s USR1 …</c>),
/// so an operator gets one on demand without Redis or a restart. Asked from the sampling loop only.
/// </summary>
public sealed class SampleJourneys : IDisposable
{
    /// <summary>SIGUSR1 on Linux (x86-64 and arm64): <see cref="PosixSignalRegistration"/> takes raw signal numbers.</summary>
    private const PosixSignal UserSignal1 = (PosixSignal)10;

    private readonly int _every;
    private readonly ILogger<SampleJourneys> _logger;
    private readonly PosixSignalRegistration? _signal;
    private long _count;
    private int _asked;

    public SampleJourneys(IOptions<CollectorOptions> options, ILogger<SampleJourneys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _every = options.Value.TraceEvery;
        _logger = logger;
        // Its default action ends the process: cancelled, so the signal only asks.
        if (OperatingSystem.IsLinux()) _signal = PosixSignalRegistration.Create(UserSignal1, context =>
        {
            context.Cancel = true;
            Ask();
        });
    }

    /// <summary>Makes the next sample one that carries its trace.</summary>
    public void Ask()
    {
        Volatile.Write(ref _asked, 1);
        Log.JourneyAsked(_logger);
    }

    /// <summary>Whether the sample about to be taken carries its trace; call once per sample.</summary>
    public bool Next()
    {
        var counted = _every > 0 && ++_count % _every == 0;
        var asked = Interlocked.Exchange(ref _asked, 0) == 1;
        return counted || asked;
    }

    public void Dispose() => _signal?.Dispose();
}
