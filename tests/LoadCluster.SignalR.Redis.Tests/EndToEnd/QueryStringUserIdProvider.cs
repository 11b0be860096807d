using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.SignalR.Redis.Tests.EndToEnd;

/// <summary>Test-only: the user is whatever <c>?user=</c> says. Real apps take it from authentication.</summary>
internal sealed class QueryStringUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.GetHttpContext()?.Request.Query["user"].FirstOrDefault();
}
