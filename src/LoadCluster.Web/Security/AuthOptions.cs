namespace LoadCluster.Web.Security;

/// <summary>
/// Who may watch the board, bound from the section "LoadCluster:Auth" (env <c>LoadCluster__Auth__*</c>).
/// Off (<c>none</c>) by default, so local runs need no provider; <c>oidc</c> turns on sign-in with
/// OpenID Connect (authorization code with PKCE) for every page, API and stream.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "LoadCluster:Auth";

    public const string NoneMode = "none";
    public const string OidcMode = "oidc";

    /// <summary><c>none</c> (the default: anyone who reaches the port may watch) or <c>oidc</c>.</summary>
    public string Mode { get; set; } = NoneMode;

    /// <summary>The provider's issuer URL, e.g. https://login.example.com/realms/ops; its discovery document is read from there.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client's secret at the provider (a confidential client: the code is redeemed by the server, never the browser).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// A claim the signed-in user must carry to watch, e.g. <c>groups</c> or <c>roles</c>, with one of
    /// <see cref="RequiredClaimValues"/>. The provider must put it in the ID token. Empty: every signed-in user may watch.
    /// </summary>
    public string? RequiredClaim { get; set; }

    public string[] RequiredClaimValues { get; set; } = [];

    /// <summary>The values given, blanks dropped (docker compose passes an unset variable as "").</summary>
    public string[] RequiredValues => [.. RequiredClaimValues.Where(v => !string.IsNullOrWhiteSpace(v))];

    /// <summary>Scopes to ask for besides <c>openid</c> and <c>profile</c> (some providers add group claims only for a scope).</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>False allows an http:// authority (a provider on the same machine or in tests); never turn it off across a network.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a sign-in lasts without a request (sliding: each page view renews it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool IsOidc => string.Equals(Mode, OidcMode, StringComparison.OrdinalIgnoreCase);
}
