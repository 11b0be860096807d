using LoadCluster.Testing;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>Folders of the checkout the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root => Checkout.Root;

    /// <summary>The library's wwwroot, where the build copied Turbo (wwwroot/lib).</summary>
    public static string TurboWebRoot => Path.Combine(Root, "src", "LoadCluster.Turbo", "wwwroot");

    /// <summary>Git-ignored output folder for screenshots.</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(Root, "artifacts", "browser")).FullName;
}
