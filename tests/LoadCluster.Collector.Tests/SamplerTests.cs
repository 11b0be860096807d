using LoadCluster.Collector.Proc;
using LoadCluster.Samples;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector.Tests;

public sealed class SamplerTests
{
    [Fact]
    public void Sample_from_the_real_fixture_files_carries_their_exact_values_and_passes_the_contract()
    {
        var options = Options.Create(new CollectorOptions { Host = "fixture-vm", Interval = TimeSpan.FromMilliseconds(500) });
        var sampler = new Sampler(new ProcReader(Fixture.Real), options, TimeProvider.System);

        var sample = sampler.Read();

        Assert.Equal("fixture-vm", sample.Host);
        Assert.Equal((23.78, 9.63, 3.68), (sample.Load1, sample.Load5, sample.Load15));
        Assert.Equal((19, 436), (sample.Runnable, sample.Tasks));
        Assert.Equal(2, sample.Cores);
        Assert.Equal(46.07, sample.Cpu); // first reading: average since boot
        Assert.Equal([44.59, 47.53], sample.PerCore);
        Assert.Equal(24684092L * 1024, sample.MemTotal);
        Assert.Equal((24684092L - 23105108L) * 1024, sample.MemUsed);
        Assert.Equal(621.60, sample.Uptime);
        Assert.Equal(500, sample.IntervalMs);
        Assert.InRange(sample.Ts, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Null(SampleJson.Validate(sample));
    }

    [Fact]
    public void Second_sample_measures_cpu_since_the_first()
    {
        var sampler = new Sampler(new ProcReader(Fixture.Real), Options.Create(new CollectorOptions()), TimeProvider.System);
        sampler.Read();
        // Same files again: no tick passed between the two readings.
        Assert.Equal(0, sampler.Read().Cpu);
    }
}
