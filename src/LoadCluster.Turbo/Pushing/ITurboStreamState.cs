namespace LoadCluster.Turbo;

/// <summary>
/// Supplies a stream's current state, sent to a client first when it subscribes (and re-subscribes
/// after a reconnect), so a page never misses what changed since it was rendered. Register with
/// <c>services.AddTurboStreamState&lt;T&gt;()</c>.
/// </summary>
public interface ITurboStreamState
{
    /// <summary>Markup (one or more <c>&lt;turbo-stream&gt;</c> elements) to send first, or null for nothing.</summary>
    ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct);
}
