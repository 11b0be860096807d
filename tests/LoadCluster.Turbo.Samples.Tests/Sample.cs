using LoadCluster.Testing;

namespace LoadCluster.Turbo.Samples.Tests;

/// <summary>Starts a sample from samples/NAME as it was built with these tests (same configuration).</summary>
internal static class Sample
{
    public static Task<AppProcess> StartAsync(string name, params string[] args)
    {
        var project = Path.Combine(Checkout.Root, "samples", name);
        return AppProcess.StartAsync(Path.Combine(project, "bin", Checkout.Configuration, "net10.0", name + ".dll"), project, args);
    }
}
