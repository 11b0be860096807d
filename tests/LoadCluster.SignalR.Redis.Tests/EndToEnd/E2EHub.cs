using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Tests.EndToEnd;

/// <summary>A tiny hub whose methods drive the lifetime manager from a real client.</summary>
public sealed class E2EHub : Hub
{
    public string WhoAmI() => Context.ConnectionId;

    public Task Broadcast(string id) => Clients.All.SendAsync("m", id);

    public Task SendUser(string user, string id) => Clients.User(user).SendAsync("m", id);

    public Task SendGroup(string group, string id) => Clients.Group(group).SendAsync("m", id);

    public Task AddToGroup(string connectionId, string group) => Groups.AddToGroupAsync(connectionId, group);

    /// <summary>Asks another connection, wherever it is, for a number (a client result).</summary>
    public Task<int> AskClient(string connectionId) =>
        Clients.Client(connectionId).InvokeAsync<int>("ask", "how many?", Context.ConnectionAborted);

    public Task RemoveFromGroup(string connectionId, string group) => Groups.RemoveFromGroupAsync(connectionId, group);
}
