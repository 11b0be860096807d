namespace LoadCluster.Collector;

/// <summary>
/// The command line: what to do, and which environment file to read. Settings never come from the
/// command line (it shows in <c>ps</c> and shell history, and the Redis password is a setting):
/// they come from the environment file and the environment.
/// </summary>
public sealed record CollectorArguments(CollectorMode Mode, string? EnvironmentFile)
{
    /// <summary>Read when it exists and no <c>--env-file</c> is given: where the Debian package and the enrollment put the host's settings.</summary>
    public const string DefaultEnvironmentFile = "/etc/loadcluster/collector.env";

    public const string Usage = """
        usage: loadcluster-collector [--check] [--env-file PATH]
               loadcluster-collector --version
          (no option)     sample this host and publish to Redis until stopped
          --check         read /proc once, connect to Redis, print what would be sent; exit 0 if all is well, 1 with the reason if not
          --env-file PATH read settings from PATH (KEY=value lines) instead of /etc/loadcluster/collector.env
          --version       print the version and exit
        Settings (ConnectionStrings__redis, Collector__Host, Collector__Interval, ...) come from the
        environment file, then the environment, which wins; never from the command line.
        """;

    /// <summary>Parses the command line; an <see cref="ArgumentException"/> names what is wrong.</summary>
    public static CollectorArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var mode = CollectorMode.Run;
        string? environmentFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--check": mode = CollectorMode.Check; break;
                case "--version": mode = CollectorMode.Version; break;
                case "--help" or "-h": mode = CollectorMode.Help; break;
                case "--env-file" when i + 1 < args.Count: environmentFile = args[++i]; break;
                case "--env-file": throw new ArgumentException("--env-file needs a path, e.g. --env-file /etc/loadcluster/collector.env");
                default:
                    throw new ArgumentException($"unknown argument '{Redact(args[i])}': settings are not taken from the command line; put them in the environment file ({DefaultEnvironmentFile}) or the environment");
            }
        }
        return new CollectorArguments(mode, environmentFile);
    }

    // "--ConnectionStrings:redis=host,password=secret" must not be echoed into a log.
    private static string Redact(string arg) => arg.Contains('=', StringComparison.Ordinal) ? arg[..arg.IndexOf('=', StringComparison.Ordinal)] + "=…" : arg;
}

public enum CollectorMode
{
    Run,
    Check,
    Version,
    Help,
}
