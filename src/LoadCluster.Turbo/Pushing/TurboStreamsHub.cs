using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.Turbo;

/// <summary>
/// The hub type the bus between nodes is made for. Browsers never connect to it (they connect to
/// the stream endpoint): it only names the lifetime manager, and so the backplane's channels
/// (<c>{prefix}:LoadCluster.Turbo.TurboStreamsHub:*</c> with the official Redis one). Its full name
/// is part of that wire contract: never rename or move it.
/// </summary>
internal sealed class TurboStreamsHub : Hub;
