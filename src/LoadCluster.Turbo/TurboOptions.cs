namespace LoadCluster.Turbo;

/// <summary>
/// Settings of the Turbo library, bound from the configuration section "Turbo" and validated at start-up.
/// </summary>
public sealed class TurboOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Turbo";

    /// <summary>
    /// Route of the stream endpoint that Turbo's <c>&lt;turbo-stream-source&gt;</c> connects to: a WebSocket
    /// upgrade there is served as a WebSocket, any other GET as Server-Sent Events (Turbo-Flask's
    /// <c>TURBO_WEBSOCKET_ROUTE</c>); null or "" turns it off.
    /// </summary>
    public string? Route { get; set; } = "/turbo-stream";

    /// <summary>
    /// Key for signing stream names (env <c>Turbo__SigningKey</c>), at least 32 characters, the same on every replica.
    /// Required outside Development; in Development a random per-process key is used when it is missing.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Origins (scheme://host[:port]) allowed to connect besides the app's own origin.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Base URL to load Turbo from; null serves it from the app's own static files.</summary>
    public string? CdnBaseUrl { get; set; }

    /// <summary>
    /// How often each connection gets a heartbeat (an unsolicited WebSocket pong, a Server-Sent
    /// Events "heartbeat" event), so proxies do not close it while idle (some close after 30 s).
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Bytes of pushed markup that may wait for one connection. A connection with more waiting is
    /// dropped (its page reconnects and gets the stream's state first again), so memory stays bounded
    /// whatever a client does. 1 MiB holds thousands of ordinary pushes: a busy client loses none.
    /// </summary>
    public int SlowClientQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a connection may take nothing while markup waits for it: a client whose writes are
    /// stuck this long is dropped too. Long enough for a page that is merely busy (or a server that is
    /// starved of CPU for a while): such a client keeps taking and is never dropped for time.
    /// </summary>
    public TimeSpan SlowClientTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
