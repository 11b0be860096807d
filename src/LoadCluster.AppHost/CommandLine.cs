using System.Globalization;

namespace LoadCluster.AppHost;

/// <summary>Parses <c>--replicas N</c> and <c>--port P</c>; anything else is a usage error.</summary>
internal sealed record CommandLine(int Replicas, int Port, bool Help)
{
    public const string Usage = """
        Usage: dotnet run --project src/LoadCluster.AppHost -- [--replicas N] [--port P]
          --replicas N   web replicas behind nginx, 1-64 (default 3)
          --port P       port of the front door on 127.0.0.1, 1-65535 (default 8080)
        Environment: ConnectionStrings__redis uses that Redis instead of starting one;
          Collector__Host, Collector__Interval, LoadCluster__Prefix, Turbo__SigningKey and
          OTEL_EXPORTER_OTLP_ENDPOINT are passed to the children.
        """;

    /// <summary>Parses the arguments; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out CommandLine result, out string? error)
    {
        int replicas = ClusterOptions.DefaultReplicas, port = ClusterOptions.DefaultPort;
        var help = false;
        result = new CommandLine(replicas, port, false);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = Split(args[i]);
            switch (name)
            {
                case "-h" or "--help":
                    help = true;
                    continue;
                case "--replicas" or "--port":
                    if (value is null)
                    {
                        if (i + 1 >= args.Count)
                        {
                            error = $"{name} needs a value";
                            return false;
                        }
                        value = args[++i];
                    }
                    var (min, max) = name == "--replicas" ? (1, ClusterOptions.MaxReplicas) : (1, 65535);
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
                    {
                        error = $"{name} must be a whole number from {min} to {max} (got '{value}')";
                        return false;
                    }
                    if (name == "--replicas") replicas = number;
                    else port = number;
                    continue;
                default:
                    error = $"unknown option '{args[i]}'";
                    return false;
            }
        }
        result = new CommandLine(replicas, port, help);
        error = null;
        return true;
    }

    // Accepts both "--port 8080" and "--port=8080".
    private static (string Name, string? Value) Split(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
