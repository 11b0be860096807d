using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using LoadCluster.Samples;

namespace LoadCluster.Web.Board;

/// <summary>
/// In-process fan-out of every relayed sample to the open <c>/api/samples/stream</c> responses.
/// Each reader has its own small queue that drops its oldest entry when the reader is slow, so
/// one slow script never holds up the relay or the others.
/// </summary>
internal sealed class SampleFeed
{
    public const int QueueLength = 256;

    private readonly ConcurrentDictionary<Channel<string>, byte> _readers = new();

    /// <summary>Registers a reader; dispose the result to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        _readers.TryAdd(channel, 0);
        return new Subscription(this, channel);
    }

    public void Publish(Sample sample)
    {
        if (_readers.IsEmpty) return;
        // Re-serialized rather than forwarded as received: one line of canonical JSON per event.
        var json = Encoding.UTF8.GetString(SampleJson.Serialize(sample));
        foreach (var reader in _readers.Keys) reader.Writer.TryWrite(json);
    }

    /// <summary>One reader's queue of sample JSON documents.</summary>
    internal sealed class Subscription(SampleFeed feed, Channel<string> channel) : IDisposable
    {
        public ChannelReader<string> Reader => channel.Reader;

        public void Dispose()
        {
            feed._readers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }
}
