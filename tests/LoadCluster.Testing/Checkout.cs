using System.Reflection;

namespace LoadCluster.Testing;

/// <summary>The checkout the tests run from, and the configuration they were built in.</summary>
public static class Checkout
{
    /// <summary>The folder holding LoadCluster.sln, found by walking up from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug, as this build: a test runs what the same build made (samples, the library).</summary>
    public static string Configuration { get; } =
        typeof(Checkout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoadCluster.sln"))) return dir.FullName;
        throw new InvalidOperationException($"LoadCluster.sln not found above {AppContext.BaseDirectory}; run the tests from the checkout.");
    }
}
