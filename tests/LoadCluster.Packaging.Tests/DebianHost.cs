using System.Diagnostics;

namespace LoadCluster.Packaging.Tests;

/// <summary>
/// A clean Debian 12 machine: a container of <c>loadcluster/debian-bookworm-host:local</c>
/// (<c>docker/build-base-images.sh</c> builds it) with systemd as PID 1, so a package's unit runs as
/// on a host, sandbox included. It shares the host's network, so it reaches test servers on
/// 127.0.0.1. systemd in a container needs SYS_ADMIN and the host's cgroup tree; it keeps to the
/// container's own cgroup. Disposing removes the container.
/// </summary>
internal sealed class DebianHost : IAsyncDisposable
{
    public const string Image = "loadcluster/debian-bookworm-host:local";

    private readonly string _name;

    private DebianHost(string name) => _name = name;

    public static async Task<DebianHost> StartAsync()
    {
        await DockerEngine.RequireAsync();
        await DockerEngine.RequireImageAsync(Image);
        var host = new DebianHost($"loadcluster-test-debian-{Guid.NewGuid():N}"[..40]);
        await DockerEngine.CliAsync("run", "-d", "--name", host._name, "--network", "host",
            "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
            "--cgroupns", "host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock", Image);
        try
        {
            var state = "";
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(250))
            {
                state = (await host.RunAsync("systemctl", "is-system-running")).Output.Trim();
                if (state is "running" or "degraded") return host;
            }
            throw new InvalidOperationException($"systemd in {Image} did not come up within 60 s (state '{state}').");
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command as root on the host (<c>docker exec</c>); <paramref name="stdin"/> is piped in.</summary>
    public Task<CommandResult> RunAsync(string[] command, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = new List<string> { "exec" };
        if (stdin is not null) args.Add("-i");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) args.AddRange(["-e", $"{key}={value}"]);
        args.Add(_name);
        args.AddRange(command);
        return CommandLine.RunAsync("docker", args, TimeSpan.FromMinutes(2), stdin: stdin);
    }

    public Task<CommandResult> RunAsync(params string[] command) => RunAsync(command, stdin: null);

    /// <summary>Runs a shell command line as root and fails unless it succeeds; returns its output.</summary>
    public async Task<string> ShellAsync(string script) => (await RunAsync("sh", "-c", script)).Check().Output;

    /// <summary>Copies a Debian package in and installs it with <c>dpkg -i</c>, as an operator or configuration management does.</summary>
    public async Task<CommandResult> InstallAsync(string deb)
    {
        await DockerEngine.CliAsync("cp", deb, $"{_name}:/tmp/{Path.GetFileName(deb)}");
        return await RunAsync("dpkg", "-i", $"/tmp/{Path.GetFileName(deb)}");
    }

    /// <summary>
    /// What a package could leave behind: every path on the root file system with its mode and
    /// owner, and the user and group databases. Left out: what changes on any running machine
    /// (logs, caches, systemd's own state, /tmp) and the user tools' backups of the user database (passwd- and the like).
    /// </summary>
    public Task<string> SnapshotAsync() => ShellAsync(
        "find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/log -o -path /var/cache " +
        "-o -path /var/lib/systemd/catalog -o -path /var/lib/systemd/random-seed -o -path /var/lib/systemd/timers \\) -prune " +
        "-o -printf '%p %M %u:%g\\n' | grep -v -e '^/etc/passwd- ' -e '^/etc/group- ' -e '^/etc/shadow- ' -e '^/etc/gshadow- ' | sort; " +
        "cat /etc/passwd /etc/group /etc/shadow /etc/gshadow");

    public ValueTask DisposeAsync() => new(DockerEngine.CliAsync("rm", "-f", "-v", _name));
}
