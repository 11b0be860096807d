using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector.Tests;

public sealed class SampleJourneysTests
{
    private static SampleJourneys Journeys(int every) =>
        new(Options.Create(new CollectorOptions { TraceEvery = every }), NullLogger<SampleJourneys>.Instance);

    private static string Pattern(SampleJourneys journeys, int samples) =>
        string.Concat(Enumerable.Range(0, samples).Select(_ => journeys.Next() ? 'T' : '.'));

    [Fact]
    public void One_sample_in_TraceEvery_carries_its_trace_counted_from_the_start()
    {
        using var journeys = Journeys(3);
        Assert.Equal("..T..T..T.", Pattern(journeys, 10));
    }

    [Fact]
    public void Asking_traces_the_next_sample_only_whatever_the_rate_and_keeps_the_count()
    {
        using var none = Journeys(0);
        Assert.Equal("....", Pattern(none, 4));
        none.Ask();
        none.Ask();
        Assert.Equal("T...", Pattern(none, 4));

        using var journeys = Journeys(4);
        Assert.Equal(".", Pattern(journeys, 1));
        journeys.Ask();
        Assert.Equal("T.T...T", Pattern(journeys, 7));
    }
}
