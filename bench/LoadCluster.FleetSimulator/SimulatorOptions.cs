using System.Globalization;
using LoadCluster.Samples;

namespace LoadCluster.FleetSimulator;

/// <summary>The simulator's command line; every bad value is an error naming its flag.</summary>
internal sealed record SimulatorOptions(int Hosts, TimeSpan Interval, string Redis, string Prefix, string NamePrefix, TimeSpan? Duration, double Flaky, int HistoryMinutes, bool Backfill = false)
{
    public const string Usage = """
        usage: LoadCluster.FleetSimulator [--hosts N] [--interval 1s] [--redis HOST:PORT[,options]] [--prefix loadcluster]
                                          [--names sim] [--seconds S] [--flaky 0.0005] [--history-minutes 15] [--backfill true]
          --hosts            hosts to simulate (1-100000, default 100), named {names}-00001 ...
          --interval         each host's sampling interval: 250ms, 1s, 00:00:02 (100 ms to 1 h, default 1s)
          --redis            the cluster's Redis (default: env ConnectionStrings__redis, else 127.0.0.1:6379)
          --prefix           key and channel prefix (default: env LoadCluster__Prefix, else loadcluster)
          --seconds          stop after this long (default: run until Ctrl+C)
          --flaky            chance per sample that a host goes silent for 5-90 s (0-1, default 0.0005)
          --history-minutes  raw history kept per host, as Collector__HistoryMinutes (10-1440, default 15)
          --backfill         first write every host's full history (raw and downsampled) and the hosts index,
                             so a short run measures memory as a fleet that has run a day (default false)
        """;

    public static (SimulatorOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new SimulatorOptions(100, TimeSpan.FromSeconds(1),
            Environment.GetEnvironmentVariable("ConnectionStrings__redis") is { Length: > 0 } r ? r : "127.0.0.1:6379",
            Environment.GetEnvironmentVariable("LoadCluster__Prefix") is { Length: > 0 } p ? p : RedisNames.DefaultPrefix,
            "sim", null, 0.0005, 15);
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag is "-h" or "--help") return (null, "");
            if (i + 1 >= args.Count) return (null, $"{flag}: needs a value");
            var value = args[++i];
            switch (flag)
            {
                case "--hosts" when int.TryParse(value, CultureInfo.InvariantCulture, out var hosts) && hosts is >= 1 and <= 100_000:
                    o = o with { Hosts = hosts };
                    break;
                case "--interval" when ParseDuration(value) is { } interval && interval >= TimeSpan.FromMilliseconds(100) && interval <= TimeSpan.FromHours(1):
                    o = o with { Interval = interval };
                    break;
                case "--redis" when value.Length > 0:
                    o = o with { Redis = value };
                    break;
                case "--prefix" when RedisNames.IsValidPrefix(value):
                    o = o with { Prefix = value };
                    break;
                case "--names" when LoadCluster.Samples.HostName.IsValid(value + "-00001"):
                    o = o with { NamePrefix = value };
                    break;
                case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    o = o with { Duration = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--flaky" when double.TryParse(value, CultureInfo.InvariantCulture, out var flaky) && flaky is >= 0 and <= 1:
                    o = o with { Flaky = flaky };
                    break;
                case "--history-minutes" when int.TryParse(value, CultureInfo.InvariantCulture, out var minutes) && minutes is >= 10 and <= 1440:
                    o = o with { HistoryMinutes = minutes };
                    break;
                case "--backfill" when bool.TryParse(value, out var backfill):
                    o = o with { Backfill = backfill };
                    break;
                case "--hosts" or "--interval" or "--redis" or "--prefix" or "--names" or "--seconds" or "--flaky" or "--history-minutes" or "--backfill":
                    return (null, $"{flag}: '{value}' is not valid (see the ranges below)");
                default:
                    return (null, $"unknown option {flag}");
            }
        }
        return (o, null);
    }

    public string HostName(int index) => $"{NamePrefix}-{index + 1:00000}";

    private static TimeSpan? ParseDuration(string text)
    {
        if (text.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(text[..^2], CultureInfo.InvariantCulture, out var ms)) return TimeSpan.FromMilliseconds(ms);
        if (text.EndsWith('s') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var s)) return TimeSpan.FromSeconds(s);
        if (text.EndsWith('m') && double.TryParse(text[..^1], CultureInfo.InvariantCulture, out var m)) return TimeSpan.FromMinutes(m);
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }
}
