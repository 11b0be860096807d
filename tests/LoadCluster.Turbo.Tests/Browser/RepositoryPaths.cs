namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>Folders of the checkout the tests run from, found by walking up to LoadCluster.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The library's wwwroot, where the build copied Turbo and the SignalR client (wwwroot/lib).</summary>
    public static string TurboWebRoot => Path.Combine(Root, "src", "LoadCluster.Turbo", "wwwroot");

    /// <summary>Git-ignored output folder for screenshots.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts", "browser")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoadCluster.sln"))) return dir.FullName;
        throw new InvalidOperationException($"LoadCluster.sln not found above {AppContext.BaseDirectory}; run the tests from the checkout.");
    }
}
