using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>An app's own choice of user id (Turbo-Flask's <c>@turbo.user_id</c>): here the name upper-cased.</summary>
internal sealed class UpperCaseUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User?.FindFirst(ClaimTypes.NameIdentifier)?.Value.ToUpperInvariant();
}
