namespace LoadCluster.Turbo;

/// <summary>
/// Settings of the Turbo library, bound from the configuration section "Turbo" and validated at start-up.
/// </summary>
public sealed class TurboOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Turbo";

    /// <summary>Route of the SignalR hub (Turbo-Flask's <c>TURBO_WEBSOCKET_ROUTE</c>); null or "" turns it off.</summary>
    public string? WebSocketRoute { get; set; } = "/turbo-stream";

    /// <summary>Route of the Server-Sent Events endpoint for Turbo's own <c>&lt;turbo-stream-source&gt;</c>; null or "" turns it off.</summary>
    public string? EventStreamRoute { get; set; } = "/turbo-stream/events";

    /// <summary>
    /// Route of the plain WebSocket endpoint for Turbo's own <c>&lt;turbo-stream-source src="ws://…"&gt;</c>
    /// (<see cref="TurboTransport.WebSocket"/>); null or "" turns it off.
    /// </summary>
    public string? SocketRoute { get; set; } = "/turbo-stream/socket";

    /// <summary>
    /// Key for signing stream names (env <c>Turbo__SigningKey</c>), at least 32 characters, the same on every replica.
    /// Required outside Development; in Development a random per-process key is used when it is missing.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Origins (scheme://host[:port]) allowed to open the hub or event stream besides the app's own origin.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Base URL to load Turbo and the SignalR client from; null serves them from the app's own static files.</summary>
    public string? CdnBaseUrl { get; set; }

    /// <summary>How often an idle event stream sends a comment line, so proxies do not close it (some close after 30 s).</summary>
    public TimeSpan EventStreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each socket of the socket endpoint gets an unsolicited pong, so proxies do not close it while idle.</summary>
    public TimeSpan SocketHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a local push waits for a subscriber that does not read: after this the connection
    /// is aborted (its browser reconnects and resyncs) so one stuck client cannot stall a relay or
    /// make memory grow.
    /// </summary>
    public TimeSpan SlowSubscriberTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many streams one connection may subscribe to at once.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>
    /// Hub calls (subscribe, unsubscribe) one connection may make per second on average; bursts of
    /// twice this are allowed. Calls beyond it get a hub error.
    /// </summary>
    public double HubCallsPerSecond { get; set; } = 20;
}
