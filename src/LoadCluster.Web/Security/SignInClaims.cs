using System.Security.Claims;

namespace LoadCluster.Web.Security;

/// <summary>Claims the replica adds at sign-in, beside the provider's.</summary>
internal static class SignInClaims
{
    /// <summary>
    /// One random id per sign-in (all tabs of one browser share it): sign-out closes the connections
    /// opened with that sign-in on every replica, and no other session of the same person.
    /// </summary>
    public const string Session = "loadcluster_session";

    public static string? SessionOf(ClaimsPrincipal user) => user.FindFirst(Session)?.Value;
}
