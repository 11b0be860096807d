using System.Text.RegularExpressions;

namespace LoadCluster.Turbo.Tests.Pushing;

/// <summary>Numbered pushes to one stream every 100 ms from one node, through the bus (see <see cref="NumberedTraffic"/>).</summary>
internal static partial class PushTraffic
{
    public static NumberedTraffic Start(ITurboPush push, string stream, IEnumerable<TurboSocketClient> clients) =>
        new(number => push.ToStreamsAsync(stream, $"<turbo-stream action=\"update\" target=\"n\"><template>push {number}</template></turbo-stream>"),
            message => Number().Matches(message).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
            clients);

    [GeneratedRegex("<template>push (\\d+)</template>")]
    private static partial Regex Number();
}
