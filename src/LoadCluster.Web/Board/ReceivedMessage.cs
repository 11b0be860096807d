namespace LoadCluster.Web.Board;

/// <summary>
/// A message from the samples channel, not parsed yet, and when this web node received it (its own
/// clock: staleness is judged on it). Parsing waits for the relay's own loop, so the subscription's
/// one reader only copies and queues: at 10,000 samples a second that reader is the bottleneck.
/// <see cref="ChannelHost"/> is the host whose channel it came on (null if the channel names none).
/// </summary>
internal readonly record struct ReceivedMessage(byte[] Json, DateTimeOffset ReceivedAt, string? ChannelHost);
