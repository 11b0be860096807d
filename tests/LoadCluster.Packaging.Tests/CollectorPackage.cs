namespace LoadCluster.Packaging.Tests;

/// <summary>
/// The collector's Debian package for this machine, built once per test run by
/// <c>packaging/deb/build.sh</c> (a Native AOT compile: minutes on 2 cores; an unchanged build is quick).
/// </summary>
internal static class CollectorPackage
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> PathAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        var result = (await CommandLine.RunAsync("bash", [Path.Combine(Checkout.Root, "packaging", "deb", "build.sh")], TimeSpan.FromMinutes(15),
            Checkout.Root)).Check();
        var deb = result.Output.TrimEnd().Split('\n')[^1].Trim();
        return File.Exists(deb) ? deb : throw new InvalidOperationException($"packaging/deb/build.sh named no package it made:\n{result.Output}");
    }
}
