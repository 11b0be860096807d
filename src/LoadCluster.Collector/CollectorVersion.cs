using System.Reflection;
using System.Runtime.InteropServices;

namespace LoadCluster.Collector;

/// <summary>The collector's version (the project's <c>Version</c>, also the Debian package's) and what <c>--version</c> prints.</summary>
public static class CollectorVersion
{
    // "0.1.0+<commit>" from the SDK's source link.
    private static readonly string Informational =
        typeof(CollectorVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version without the commit, e.g. <c>0.1.0</c>.</summary>
    public static string Number { get; } = Informational.Split('+')[0];

    /// <summary>e.g. <c>loadcluster-collector 0.1.0 (commit abfa0e8, linux-x64, Native AOT, .NET 10.0.2)</c>.</summary>
    public static string Describe()
    {
        var commit = Informational.Split('+') is [_, var hash, ..] ? $"commit {hash[..Math.Min(7, hash.Length)]}, " : "";
        // The native executable compiles nothing at run time; on the .NET runtime the JIT has compiled this method at least.
        var build = System.Runtime.JitInfo.GetCompiledMethodCount() == 0 ? "Native AOT" : "on the .NET runtime";
        return $"loadcluster-collector {Number} ({commit}{RuntimeInformation.RuntimeIdentifier}, {build}, .NET {Environment.Version})";
    }
}
