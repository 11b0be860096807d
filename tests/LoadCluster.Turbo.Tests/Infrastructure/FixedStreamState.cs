namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>A stream state source whose current state names the stream, so tests can tell it apart from pushes.</summary>
internal sealed class FixedStreamState : ITurboStreamState
{
    public static string Markup(string stream) => TurboStream.Update("state", stream).ToString();

    public ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct) => ValueTask.FromResult<string?>(Markup(streamName));
}
