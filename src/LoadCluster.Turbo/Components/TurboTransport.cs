namespace LoadCluster.Turbo;

/// <summary>How a page listens to a stream (<see cref="TurboStreamFrom.Transport"/>).</summary>
public enum TurboTransport
{
    /// <summary>The SignalR hub (WebSocket, falling back as SignalR does); shows its connection state.</summary>
    SignalR = 0,

    /// <summary>
    /// Turbo's own <c>&lt;turbo-stream-source&gt;</c> on the Server-Sent Events endpoint: plain HTTP, for
    /// networks that block WebSockets.
    /// </summary>
    EventStream = 1,

    /// <summary>
    /// Turbo's own <c>&lt;turbo-stream-source&gt;</c> on the socket endpoint: a plain WebSocket whose
    /// messages are the markup, the leanest connection per browser. The library's script reconnects it
    /// and shows its connection state. Rendered in a request only (the URL is absolute: ws or wss, this host).
    /// </summary>
    WebSocket = 2,
}
