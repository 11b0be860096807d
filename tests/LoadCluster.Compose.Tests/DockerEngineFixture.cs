namespace LoadCluster.Compose.Tests;

/// <summary>Stops the dockerd that the tests started, after the last compose test (a running engine is left alone).</summary>
public sealed class DockerEngineFixture : IDisposable
{
    public void Dispose() => DockerEngine.StopIfStarted();
}

[CollectionDefinition(Name)]
public sealed class ComposeCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "compose";
}
