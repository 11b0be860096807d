namespace LoadCluster.AppHost.Resources;

/// <summary>Finds the Debian programs the cluster runs, with a message that says how to install a missing one.</summary>
internal static class Executables
{
    // nginx lives in /usr/sbin, which is not on a normal user's PATH.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];

    public static string Find(string program, string package)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ClusterStartException($"{program} is not installed: run scripts/run.sh, which installs it, or apt-get install {package}.");
    }

    /// <summary>The dotnet host running the launcher, so children run on the same runtime.</summary>
    public static string Dotnet()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return Find("dotnet", "dotnet-sdk-10.0");
    }
}
