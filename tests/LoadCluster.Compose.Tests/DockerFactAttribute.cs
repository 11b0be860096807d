namespace LoadCluster.Compose.Tests;

/// <summary>
/// A fact that needs a Docker engine: it starts one when none runs (see <see cref="DockerEngine"/>)
/// and is skipped, with the reason, only when the engine cannot run on this machine at all.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (DockerEngine.WhyUnavailable is { } problem) Skip = $"No Docker engine: {problem}";
    }
}
