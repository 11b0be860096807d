using System.Diagnostics;

namespace LoadCluster.AppHost;

/// <summary>Whether a container runtime answers, asked the way DCP will ask it: through its CLI.</summary>
internal static class ContainerRuntime
{
    /// <summary>The CLI Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c> (docker or podman), docker by default.</summary>
    public static string Cli =>
        Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } runtime ? runtime : "docker";

    /// <summary>Null when the runtime answers; otherwise why not, for the console.</summary>
    public static string? WhyUnavailable()
    {
        try
        {
            using var cli = Process.Start(new ProcessStartInfo(Cli, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (cli is null) return $"{Cli} did not start";
            if (!cli.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                cli.Kill();
                return $"{Cli} info did not answer within 10 s";
            }
            return cli.ExitCode == 0 ? null : $"{Cli} info failed: {cli.StandardError.ReadToEnd().Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{Cli} is not installed";
        }
    }
}
