namespace LoadCluster.Turbo;

/// <summary>
/// Signs stream names for pages and verifies them when a client subscribes, so that a client can
/// only listen to streams the server rendered for it (names appear in HTML and must not be forgeable).
/// </summary>
public interface ITurboStreamNameSigner
{
    /// <summary>Returns the signed form of <paramref name="streamName"/> to put in the page.</summary>
    string Sign(string streamName);

    /// <summary>Checks a signed name; on success returns the stream name it carries.</summary>
    bool TryVerify(string? signed, out string streamName);
}
