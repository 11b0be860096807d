using System.Globalization;

namespace LoadCluster.Compose.Tests;

/// <summary>One container of the project, as <c>docker inspect</c> sees it.</summary>
/// <param name="PublishedPort">The loopback host port its 8080 is published on (web replicas, through compose.test.yml), else 0.</param>
internal sealed record ComposeContainer(string Id, string Service, int Number, string Hostname, int PublishedPort, string State, string Health)
{
    public bool IsHealthy => State == "running" && Health == "healthy";
}

/// <summary>
/// Drives the repository's docker-compose.yml under a unique project name through the compose CLI
/// (the v2 plugin when present, else Debian's docker-compose 1.x), with its settings in a
/// temporary env file. Disposing runs <c>down -v</c> and deletes the env file.
/// </summary>
internal sealed class ComposeProject : IAsyncDisposable
{
    private readonly string[] _compose;
    private readonly string _envFile;
    private readonly Action<string> _log;
    private bool _down;

    private ComposeProject(string[] compose, string envFile, Action<string> log)
    {
        _compose = compose;
        _envFile = envFile;
        _log = log;
    }

    public string Name { get; } = "lctest" + Guid.NewGuid().ToString("N")[..8];

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The images' tag (LOADCLUSTER_TAG).</summary>
    public string Tag { get; private init; } = "local";

    public static async Task<ComposeProject> CreateAsync(IReadOnlyDictionary<string, string> settings, Action<string> log)
    {
        var plugin = await CommandLine.RunAsync("docker", ["compose", "version"], TimeSpan.FromSeconds(30));
        string[] compose = plugin.Succeeded ? ["docker", "compose"] : ["docker-compose"];
        var envFile = Path.Combine(Path.GetTempPath(), $"loadcluster-compose-{Guid.NewGuid():N}.env");
        await File.WriteAllLinesAsync(envFile, settings.Select(s => $"{s.Key}={s.Value}"));
        return new ComposeProject(compose, envFile, log) { Tag = settings.TryGetValue("LOADCLUSTER_TAG", out var tag) ? tag : "local" };
    }

    private string[] Compose =>
        [.. _compose[1..], "--env-file", _envFile, "-p", Name, "-f", Path.Combine(RepositoryRoot, "docker-compose.yml"),
            "-f", Path.Combine(AppContext.BaseDirectory, "compose.test.yml")];

    /// <summary>Runs a compose command for this project; throws with its output when it fails.</summary>
    public async Task<CommandResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        string[] all = [.. Compose, .. args];
        _log($"$ {_compose[0]} {string.Join(' ', all[(_compose.Length - 1)..]).Replace(_envFile, "<env>", StringComparison.Ordinal)}");
        var result = await CommandLine.RunAsync(_compose[0], all, timeout, RepositoryRoot);
        return result.Check();
    }

    /// <summary>The project's containers of one service (running or not), by container number.</summary>
    public async Task<List<ComposeContainer>> ContainersAsync(string service)
    {
        var ids = (await Docker(["ps", "-aq", "--filter", $"label=com.docker.compose.project={Name}", "--filter", $"label=com.docker.compose.service={service}"])).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0) return [];
        const string format = "{{.Id}}|{{index .Config.Labels \"com.docker.compose.container-number\"}}|{{.Config.Hostname}}|" +
            "{{range $port, $bindings := .NetworkSettings.Ports}}{{if eq $port \"8080/tcp\"}}{{range $bindings}}{{.HostPort}}{{end}}{{end}}{{end}}|" +
            "{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}";
        var lines = (await Docker(["inspect", "--format", format, .. ids])).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Select(line => line.Split('|'))
            .Select(f => new ComposeContainer(f[0], service, int.Parse(f[1], CultureInfo.InvariantCulture), f[2],
                int.TryParse(f[3], CultureInfo.InvariantCulture, out var port) ? port : 0, f[4], f[5]))
            .OrderBy(c => c.Number).ToList();
    }

    /// <summary>Waits until exactly <paramref name="count"/> containers of the service run and report healthy.</summary>
    public async Task<List<ComposeContainer>> WaitHealthyAsync(string service, int count, TimeSpan timeout)
    {
        List<ComposeContainer> containers = [];
        try
        {
            await Wait.UntilAsync(async () =>
            {
                containers = await ContainersAsync(service);
                var running = containers.Where(c => c.State == "running").ToList();
                return running.Count == count && running.All(c => c.IsHealthy);
            }, timeout, $"{count} healthy {service} containers", every: TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{service}: wanted {count} healthy, have [{string.Join(", ", containers.Select(c => $"#{c.Number} {c.State}/{c.Health}"))}] after {timeout.TotalSeconds} s\n{await LogsAsync(service)}");
        }
        return containers.Where(c => c.State == "running").ToList();
    }

    public async Task<string> LogsAsync(string service)
    {
        string[] all = [.. Compose, "logs", "--no-color", "--tail=40", service];
        return (await CommandLine.RunAsync(_compose[0], all, TimeSpan.FromMinutes(1), RepositoryRoot)).Output;
    }

    /// <summary>Runs a command in a container (docker exec -i), with optional stdin.</summary>
    public static async Task<CommandResult> ExecAsync(ComposeContainer container, string? stdin, params string[] command) =>
        (await CommandLine.RunAsync("docker", ["exec", "-i", container.Id, .. command], TimeSpan.FromSeconds(30), stdin: stdin)).Check();

    /// <summary>SIGKILL, as a machine lost: Docker's restart policy leaves a killed container down until <see cref="StartAsync"/>.</summary>
    public static Task KillAsync(ComposeContainer container) => Docker(["kill", "--signal", "KILL", container.Id]);

    /// <summary>Starts a stopped container again, with its volumes.</summary>
    public static Task StartAsync(ComposeContainer container) => Docker(["start", container.Id]);

    /// <summary>
    /// Adds a host as an operator does (README, "Adding a host"): the enrollment tool, run in the
    /// project with the admin credential, prints the host's environment file; a collector container
    /// started with <c>docker run --env-file</c> of it, trusting the project's CA, reports as that host.
    /// Disposing removes the container and the file.
    /// </summary>
    public async Task<IAsyncDisposable> EnrollAndRunCollectorAsync(string host)
    {
        var enrolled = await RunAsync(TimeSpan.FromMinutes(2), "run", "--rm", "-T", "--entrypoint", "loadcluster-admin", "enroll", "hosts", "add", host, "--ca-file", "/tls/ca.crt");
        var lines = enrolled.Output.Split('\n').Select(l => l.Trim()).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Za-z_][A-Za-z0-9_]*=")).ToList();
        if (!lines.Any(l => l.StartsWith("ConnectionStrings__redis=", StringComparison.Ordinal))) throw new InvalidOperationException($"hosts add printed no environment file:\n{enrolled.Output}");
        var envFile = Path.Combine(Path.GetTempPath(), $"loadcluster-{Name}-{host}.env");
        await File.WriteAllLinesAsync(envFile, [.. lines, "Collector__ProcPath=/host/proc"]);
        var container = $"{Name}-{host}";
        await Docker(["run", "-d", "--name", container, "--network", $"{Name}_default", "--env-file", envFile,
            "-v", "/proc:/host/proc:ro", "-v", $"{Name}_ca:/tls:ro", $"loadcluster-collector:{Tag}"]);
        _log($"{host}: enrolled and its collector started with docker run --env-file");
        return new Removal(async () =>
        {
            await CommandLine.RunAsync("docker", ["rm", "-f", container], TimeSpan.FromMinutes(1));
            File.Delete(envFile);
        });
    }

    private sealed class Removal(Func<Task> remove) : IAsyncDisposable
    {
        private int _done;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) await remove();
        }
    }

    /// <summary>Containers, networks and volumes still labelled with this project's name.</summary>
    public async Task<List<string>> LeftoversAsync()
    {
        var filter = $"label=com.docker.compose.project={Name}";
        var left = new List<string>();
        foreach (var (kind, args) in new (string, string[])[]
                 {
                     ("container", ["ps", "-aq", "--filter", filter]),
                     ("network", ["network", "ls", "-q", "--filter", filter]),
                     ("volume", ["volume", "ls", "-q", "--filter", filter]),
                     ("volume", ["volume", "ls", "-q", "--filter", $"name={Name}_"]),
                 })
        {
            left.AddRange((await Docker(args)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => $"{kind} {id}"));
        }
        return left.Distinct().ToList();
    }

    private static async Task<CommandResult> Docker(string[] args) =>
        (await CommandLine.RunAsync("docker", args, TimeSpan.FromMinutes(1))).Check();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")) && File.Exists(Path.Combine(dir.FullName, "LoadCluster.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"docker-compose.yml not found above {AppContext.BaseDirectory}: run the tests from the repository");
    }

    /// <summary>Removes the project's containers, networks and volumes (<c>down -v</c>).</summary>
    public async Task DownAsync()
    {
        await RunAsync(TimeSpan.FromMinutes(3), "down", "-v", "--remove-orphans", "--timeout", "5");
        _down = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_down) await DownAsync();
        }
        catch (InvalidOperationException e)
        {
            _log($"cleanup: {e.Message}");
        }
        File.Delete(_envFile);
    }
}
