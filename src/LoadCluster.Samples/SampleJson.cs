using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace LoadCluster.Samples;

/// <summary>
/// The one writer and the one parser of the sample wire format (see <see cref="Sample"/>).
/// </summary>
public static class SampleJson
{
    public const int MaxCores = 4096;

    /// <summary>A longer <c>traceparent</c> is ignored (version 00's is 55 characters; later versions may append fields).</summary>
    public const int MaxTraceparentLength = 256;

    /// <summary>Writes a sample as UTF-8 JSON.</summary>
    public static byte[] Serialize(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return JsonSerializer.SerializeToUtf8Bytes(sample, SampleJsonContext.Default.Sample);
    }

    /// <summary>
    /// Parses and validates one message. Never throws on bad input: on failure
    /// <paramref name="error"/> names the field and says what is wrong with it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Sample? sample, [NotNullWhen(false)] out string? error)
    {
        sample = null;
        SampleDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8, SampleJsonContext.Default.SampleDto);
        }
        catch (JsonException e)
        {
            error = e.Path is { Length: > 2 } path
                ? $"{path[2..]}: wrong type or value ({e.Message})"
                : $"not a JSON sample object ({e.Message})";
            return false;
        }
        if (dto is null)
        {
            error = "not a JSON sample object (got null)";
            return false;
        }
        error = Validate(dto);
        if (error is not null) return false;
        sample = new Sample
        {
            Host = dto.Host!,
            Ts = dto.Ts!.Value,
            Load1 = dto.Load1!.Value,
            Load5 = dto.Load5!.Value,
            Load15 = dto.Load15!.Value,
            Cores = dto.Cores!.Value,
            Cpu = dto.Cpu!.Value,
            PerCore = dto.PerCore!,
            MemUsed = dto.MemUsed!.Value,
            MemTotal = dto.MemTotal!.Value,
            Uptime = dto.Uptime!.Value,
            Runnable = dto.Runnable,
            Tasks = dto.Tasks,
            IntervalMs = dto.IntervalMs,
            Traceparent = dto.Traceparent is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: <= MaxTraceparentLength } traceparent
                ? traceparent
                : null,
        };
        return true;
    }

    /// <summary>Checks a sample built in code against the same rules the parser applies.</summary>
    public static string? Validate(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return Validate(new SampleDto
        {
            V = sample.V, Host = sample.Host, Ts = sample.Ts, Load1 = sample.Load1, Load5 = sample.Load5,
            Load15 = sample.Load15, Cores = sample.Cores, Cpu = sample.Cpu, PerCore = [.. sample.PerCore],
            MemUsed = sample.MemUsed, MemTotal = sample.MemTotal, Uptime = sample.Uptime,
            Runnable = sample.Runnable, Tasks = sample.Tasks, IntervalMs = sample.IntervalMs,
        });
    }

    private static string? Validate(SampleDto d)
    {
        if (d.V is null) return "v: missing (expected 1)";
        if (d.V != Sample.CurrentVersion) return $"v: unsupported version {d.V} (expected {Sample.CurrentVersion})";
        if (d.Host is null) return "host: missing";
        if (!HostName.IsValid(d.Host)) return $"host: must be {HostName.Rule}";
        if (d.Ts is null) return "ts: missing";
        if (d.Ts <= 0) return $"ts: must be a positive Unix time in milliseconds, got {d.Ts}";
        if ((Load("load1", d.Load1) ?? Load("load5", d.Load5) ?? Load("load15", d.Load15)) is { } loadError) return loadError;
        if (d.Cores is null) return "cores: missing";
        if (d.Cores is < 1 or > MaxCores) return $"cores: must be 1–{MaxCores}, got {d.Cores}";
        if (Percent("cpu", d.Cpu) is { } cpuError) return cpuError;
        if (d.PerCore is null) return "perCore: missing";
        if (d.PerCore.Length != d.Cores) return $"perCore: has {d.PerCore.Length} values but cores is {d.Cores}";
        for (var i = 0; i < d.PerCore.Length; i++)
        {
            // The field's name is built only for the error: the relay validates every core of 10,000 samples a second.
            if (d.PerCore[i] is not (>= 0 and <= 100)) return Percent($"perCore[{i}]", d.PerCore[i]);
        }
        if (d.MemTotal is null) return "memTotal: missing";
        if (d.MemTotal < 0) return $"memTotal: must be >= 0 bytes, got {d.MemTotal}";
        if (d.MemUsed is null) return "memUsed: missing";
        if (d.MemUsed < 0 || d.MemUsed > d.MemTotal) return $"memUsed: must be between 0 and memTotal ({d.MemTotal}), got {d.MemUsed}";
        if (d.Uptime is null) return "uptime: missing";
        if (!double.IsFinite(d.Uptime.Value) || d.Uptime < 0) return $"uptime: must be a finite number of seconds >= 0, got {Format(d.Uptime.Value)}";
        if (d.Runnable < 0) return $"runnable: must be >= 0, got {d.Runnable}";
        if (d.Tasks < 0) return $"tasks: must be >= 0, got {d.Tasks}";
        if (d.IntervalMs <= 0) return $"intervalMs: must be > 0, got {d.IntervalMs}";
        return null;
    }

    private static string? Load(string field, double? value) => value switch
    {
        null => $"{field}: missing",
        { } v when !double.IsFinite(v) || v < 0 => $"{field}: must be a finite number >= 0, got {Format(v)}",
        _ => null,
    };

    private static string? Percent(string field, double? value) => value switch
    {
        null => $"{field}: missing",
        { } v when !(v >= 0 && v <= 100) => $"{field}: must be a percentage 0–100, got {Format(v)}",
        _ => null,
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
