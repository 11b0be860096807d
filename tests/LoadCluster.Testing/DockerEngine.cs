using System.Diagnostics;

namespace LoadCluster.Testing;

/// <summary>
/// Gets Testcontainers ready for the engine on this machine, says what is missing when there is
/// none, and runs the docker CLI for what Testcontainers lacks.
/// </summary>
public static class DockerEngine
{
    private static readonly Lazy<Task> Settings = new(ApplySettingsAsync);

    /// <summary>
    /// Testcontainers' .NET client asks for API 1.44; Debian's engine stops at 1.41 ("client version
    /// 1.44 is too new"), so use what the engine speaks (the CLI negotiates it). Its resource
    /// reaper, Ryuk, must be pulled, which fails where no registry answers: without it, fixtures
    /// remove their containers. And as this machine may look like a container itself, it would
    /// hand out the docker0 gateway as the host: tests connect to loopback-published ports only.
    /// Settings made by the caller are left as they are.
    /// </summary>
    public static Task EnsureSettingsAsync() => Settings.Value;

    private static async Task ApplySettingsAsync()
    {
        SetDefault("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
        if (await TryCliAsync("version", "--format", "{{.Server.APIVersion}}") is { } api
            && Version.TryParse(api, out var version) && version < new Version(1, 44))
            SetDefault("DOCKER_API_VERSION", api);
        if (await TryCliAsync("image", "ls", "-q", "testcontainers/ryuk") is not { Length: > 0 })
            SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Fails at once, saying how to get one, when no Docker engine answers the CLI.</summary>
    public static async Task RequireAsync()
    {
        string? problem;
        try
        {
            var (exitCode, output, error) = await RunAsync(["info", "--format", "{{.ServerVersion}}"]);
            problem = exitCode == 0 ? null : (error + output).Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            problem = "the docker CLI is not installed (apt-get install docker.io docker-compose)";
        }
        if (problem is not null) throw new InvalidOperationException(Missing(problem));
    }

    /// <summary>Fails at once when an image is neither here nor pullable offline, saying how to get it.</summary>
    public static async Task RequireImageAsync(string image)
    {
        if (await TryCliAsync("image", "inspect", "--format", "{{.Id}}", image) is { Length: > 0 }) return;
        if (await TryCliAsync("pull", image) is not null) return;
        throw new InvalidOperationException($"The image {image} is not here and cannot be pulled: build its local stand-in with 'bash docker/build-base-images.sh' (scripts/test.sh does).");
    }

    public static string Missing(string detail) =>
        "No Docker engine answers, and these tests need one (Redis in containers, docker compose): start one (as root: dockerd &, " +
        $"or Docker Desktop), or run 'bash scripts/test.sh', which starts one and builds the stand-in images. ({detail.ReplaceLineEndings(" ")})";

    /// <summary>Runs the docker CLI and returns what it printed, trimmed; throws with its output when it fails.</summary>
    public static async Task<string> CliAsync(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException($"docker {string.Join(' ', args)} failed ({exitCode}): {error}{output}");
    }

    private static async Task<string?> TryCliAsync(params string[] args)
    {
        try
        {
            var (exitCode, output, _) = await RunAsync(args);
            return exitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no docker CLI: Testcontainers will say the engine is missing
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args)
    {
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var docker = Process.Start(psi) ?? throw new InvalidOperationException("the docker CLI did not start");
        var error = docker.StandardError.ReadToEndAsync();
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        return (docker.ExitCode, output, await error);
    }
}
