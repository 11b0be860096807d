using Microsoft.Extensions.Configuration;

namespace LoadCluster.Collector;

/// <summary>
/// Reads settings from an environment file: <c>KEY=value</c> lines, as systemd's EnvironmentFile,
/// <c>docker --env-file</c> and <c>kubectl create secret generic --from-env-file</c> read them. Blank
/// lines and lines starting with <c>#</c> or <c>;</c> are skipped; a value wrapped in matching quotes
/// loses them (as systemd does); <c>__</c> in a key means a section, as in environment variables
/// (<c>Collector__Interval</c> is <c>Collector:Interval</c>). Errors name the file and line, never a value.
/// </summary>
public static class EnvironmentFile
{
    /// <summary>Reads the file; when <paramref name="optional"/>, a file that does not exist gives no settings (one that cannot be read is still an error).</summary>
    public static IReadOnlyDictionary<string, string?> Read(string path, bool optional = false)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (optional && e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, string?>();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EnvironmentFileException(path, "permission denied: it is meant to be readable by root and the service's group only " +
                "(0640 root:loadcluster-collector); run as root or as the service's user (e.g. sudo -u loadcluster-collector)", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EnvironmentFileException(path, "no such file", e);
        }
        catch (IOException e)
        {
            throw new EnvironmentFileException(path, e.Message, e);
        }
        return Parse(path, lines);
    }

    public static IReadOnlyDictionary<string, string?> Parse(string path, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw new EnvironmentFileException(path, $"line {number} is not KEY=value");
            settings[key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = Unquote(line[(equals + 1)..].Trim());
        }
        return settings;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;
}

/// <summary>The environment file cannot be read or has a malformed line.</summary>
public sealed class EnvironmentFileException(string path, string reason, Exception? inner = null)
    : Exception($"Cannot use the environment file {path}: {reason}.", inner);
