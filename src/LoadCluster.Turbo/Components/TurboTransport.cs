namespace LoadCluster.Turbo;

/// <summary>How a page's <c>&lt;turbo-stream-source&gt;</c> connects (<see cref="TurboStreamFrom.Transport"/>); the same endpoint serves both.</summary>
public enum TurboTransport
{
    /// <summary>
    /// A WebSocket (the default): the leanest connection per browser. Rendered in a request only (the
    /// URL is absolute: ws or wss, this host).
    /// </summary>
    WebSocket = 0,

    /// <summary>Server-Sent Events: plain HTTP, for networks that block WebSockets.</summary>
    EventStream = 1,
}
