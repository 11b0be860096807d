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
}
