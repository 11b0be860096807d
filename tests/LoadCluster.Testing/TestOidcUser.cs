namespace LoadCluster.Testing;

/// <summary>A person the test OpenID Connect provider knows: login name and password, and what the ID token says.</summary>
public sealed record TestOidcUser(string Login, string Password, string Subject, string DisplayName, IReadOnlyList<string> Groups);
