using System.Reflection;
using LoadCluster.Testing;

namespace LoadCluster.Turbo.Samples.Tests;

/// <summary>Starts a sample from samples/NAME as it was built with these tests (same configuration).</summary>
internal static class Sample
{
    private static readonly string Configuration =
        typeof(Sample).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static Task<AppProcess> StartAsync(string name, params string[] args)
    {
        var project = Path.Combine(FindRoot(), "samples", name);
        return AppProcess.StartAsync(Path.Combine(project, "bin", Configuration, "net10.0", name + ".dll"), project, args);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoadCluster.sln"))) return dir.FullName;
        throw new InvalidOperationException($"LoadCluster.sln not found above {AppContext.BaseDirectory}; run the tests from the checkout.");
    }
}
