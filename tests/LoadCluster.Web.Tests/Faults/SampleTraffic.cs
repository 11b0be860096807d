using System.Globalization;
using System.Text.RegularExpressions;
using LoadCluster.Samples;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Faults;

/// <summary>
/// Numbered samples of one host every 100 ms, published to Redis as a collector does (see
/// <see cref="NumberedTraffic"/>): sample n has a load of n/100, so each page's values say which
/// samples reached it and when.
/// </summary>
internal static class SampleTraffic
{
    public static NumberedTraffic Start(ConnectionMultiplexer publisher, string host, IEnumerable<TurboSocketClient> clients)
    {
        var channel = RedisChannel.Literal(new RedisNames().SamplesChannel(host));
        var value = new Regex($"id=\"host-{Regex.Escape(host)}-load1\">([0-9.]+)<");
        return new(number => publisher.GetSubscriber().PublishAsync(channel, SampleJson.Serialize(TestSamples.Of(host, load1: number / 100.0, intervalMs: 60_000))),
            message => value.Matches(message).Select(m => (int)Math.Round(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 100)),
            clients);
    }
}
