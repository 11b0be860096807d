namespace LoadCluster.Collector.Tests;

/// <summary>Paths and texts of the /proc fixtures copied next to the test assembly.</summary>
internal static class Fixture
{
    /// <summary>Real /proc files of a 2-core Debian 12 VM; stat.later was read one second after stat.</summary>
    public static string Real => Path.Combine(AppContext.BaseDirectory, "Fixtures", "real");

    public static string Malformed => Path.Combine(AppContext.BaseDirectory, "Fixtures", "malformed");

    public static string Text(string folder, string name) => File.ReadAllText(Path.Combine(folder, name));

    /// <summary>A fresh folder holding copies of the real fixtures minus <paramref name="without"/>.</summary>
    public static DirectoryInfo CopyOfReal(params string[] without)
    {
        var dir = Directory.CreateTempSubdirectory("loadcluster-proc-");
        foreach (var name in new[] { "loadavg", "stat", "meminfo", "uptime" }.Except(without))
            File.Copy(Path.Combine(Real, name), Path.Combine(dir.FullName, name));
        return dir;
    }
}
