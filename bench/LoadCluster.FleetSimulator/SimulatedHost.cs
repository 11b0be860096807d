using LoadCluster.Collector;
using LoadCluster.Samples;

namespace LoadCluster.FleetSimulator;

/// <summary>
/// One made-up host whose numbers move the way real ones do: a run queue that drifts around the
/// host's own typical level, now and then a burst of work lasting tens of seconds; load averages as
/// the kernel computes them (exponential averages over 1, 5 and 15 minutes); CPU that follows the
/// run queue; memory that wanders; uptime that counts. Seeded from its name, so a run repeats.
/// </summary>
internal sealed class SimulatedHost
{
    private static readonly int[] CoreChoices = [2, 4, 4, 8, 8, 8, 16, 16, 32, 64];

    private readonly Random _random;
    private readonly double _typical;
    private double _runnable;
    private double _burst;
    private double _load1, _load5, _load15;
    private double _memFraction;
    private long _lastTs;
    private long _silentUntil;

    public SimulatedHost(string name, long startTs, double flaky)
    {
        Name = name;
        _random = new Random(StableHash(name));
        Cores = CoreChoices[_random.Next(CoreChoices.Length)];
        MemTotal = Cores * (1L << 30) * (2 << _random.Next(3));
        // Most hosts idle along, some are busy: typical run queue per core from 0.05 to about 1.2.
        _typical = Cores * Math.Min(1.2, 0.05 + Math.Pow(_random.NextDouble(), 2.5) * 1.1);
        _runnable = _typical;
        _load1 = _load5 = _load15 = _typical;
        _memFraction = 0.2 + _random.NextDouble() * 0.6;
        Uptime = _random.Next(3600, 90 * 86400);
        Flaky = flaky;
        _lastTs = startTs;
        Rollups = new HostRollups();
    }

    public string Name { get; }

    public int Cores { get; }

    public long MemTotal { get; }

    public double Uptime { get; private set; }

    public double Flaky { get; }

    /// <summary>The next slot of its recent-history ring (see <see cref="SampleWrites"/>), one more per sample written.</summary>
    public long Slot { get; set; }

    /// <summary>Its collector's downsampled history, exactly as a collector keeps it.</summary>
    public HostRollups Rollups { get; }

    /// <summary>The host's next sample, or null while it plays dead (a flaky host goes silent for a while).</summary>
    public Sample? Next(long ts, int intervalMs)
    {
        var dt = Math.Max(0.001, (ts - _lastTs) / 1000.0);
        _lastTs = ts;
        Uptime += dt;
        if (ts < _silentUntil) return null;
        if (_random.NextDouble() < Flaky)
        {
            _silentUntil = ts + _random.Next(5_000, 90_000);
            return null;
        }
        Step(dt);
        var cpu = Math.Clamp(100 * _runnable / Cores + Noise(3), 0, 100);
        var perCore = new double[Cores];
        for (var i = 0; i < Cores; i++) perCore[i] = Math.Round(Math.Clamp(cpu + Noise(12), 0, 100), 1);
        var sample = new Sample
        {
            Host = Name,
            Ts = ts,
            Load1 = Math.Round(_load1, 2),
            Load5 = Math.Round(_load5, 2),
            Load15 = Math.Round(_load15, 2),
            Cores = Cores,
            Cpu = Math.Round(cpu, 1),
            PerCore = perCore,
            MemUsed = (long)(MemTotal * _memFraction),
            MemTotal = MemTotal,
            Uptime = Math.Round(Uptime, 1),
            Runnable = (int)Math.Round(_runnable),
            Tasks = 150 + Cores * 20 + _random.Next(50),
            IntervalMs = intervalMs,
        };
        Rollups.Add(sample);
        return sample;
    }

    private void Step(double dt)
    {
        if (_burst <= 0 && _random.NextDouble() < 0.002 * dt) _burst = _random.Next(20, 120);
        var target = _burst > 0 ? _typical + Cores * (0.6 + _random.NextDouble()) : _typical;
        _burst -= dt;
        // Mean-reverting walk of the run queue around its target.
        _runnable = Math.Max(0, _runnable + (target - _runnable) * Math.Min(1, 0.2 * dt) + Noise(0.15 * Math.Sqrt(Cores) * Math.Sqrt(dt)));
        _load1 = Decay(_load1, _runnable, dt, 60);
        _load5 = Decay(_load5, _runnable, dt, 300);
        _load15 = Decay(_load15, _runnable, dt, 900);
        _memFraction = Math.Clamp(_memFraction + Noise(0.002 * Math.Sqrt(dt)), 0.05, 0.97);
    }

    // The kernel's load average: an exponential average of the run queue with a time constant.
    private static double Decay(double average, double value, double dt, double seconds)
    {
        var keep = Math.Exp(-dt / seconds);
        return average * keep + value * (1 - keep);
    }

    private double Noise(double scale) => (_random.NextDouble() + _random.NextDouble() + _random.NextDouble() - 1.5) * scale;

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }
}
