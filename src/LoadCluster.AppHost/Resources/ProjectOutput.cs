using System.Reflection;

namespace LoadCluster.AppHost.Resources;

/// <summary>
/// Finds the build output of a sibling project: <c>src/&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;Project&gt;.dll</c>
/// under the folder holding LoadCluster.sln, in the configuration the launcher itself was built with.
/// </summary>
internal static class ProjectOutput
{
    public const string SolutionFile = "LoadCluster.sln";
    private const string TargetFramework = "net10.0";

    /// <summary>Debug or Release: the configuration this assembly was built with.</summary>
    public static string Configuration { get; } =
        typeof(ProjectOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LoadCluster.BuildConfiguration")?.Value ?? "Debug";

    /// <summary>The folder holding LoadCluster.sln, found by walking up from <paramref name="start"/>.</summary>
    public static string FindSolutionDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        throw new ClusterStartException($"cannot find {SolutionFile} above {start}: run the launcher from the repository (dotnet run --project src/LoadCluster.AppHost).");
    }

    /// <summary>The project folder (content root) and its built dll; a clear error when it was not built.</summary>
    public static (string ProjectDirectory, string Dll) Locate(string solutionDirectory, string project)
    {
        var projectDirectory = Path.Combine(solutionDirectory, "src", project);
        var dll = Path.Combine(projectDirectory, "bin", Configuration, TargetFramework, project + ".dll");
        if (!File.Exists(dll))
            throw new ClusterStartException($"{project} is not built ({dll} is missing): run 'dotnet build src/LoadCluster.AppHost -c {Configuration}' first.");
        return (projectDirectory, dll);
    }
}
