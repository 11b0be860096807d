namespace LoadCluster.AppHost.Resources;

/// <summary>
/// Writes whole lines from many children to one writer, each prefixed with its resource name
/// (<c>[web-2] </c>), coloured when the writer is a terminal.
/// </summary>
internal sealed class OutputSink(TextWriter writer, bool colour)
{
    private static readonly string[] Colours = ["\e[36m", "\e[33m", "\e[32m", "\e[35m", "\e[34m", "\e[91m", "\e[92m", "\e[93m"];
    private const string Reset = "\e[0m";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _colourOf = [];

    public void WriteLine(string name, string line)
    {
        lock (_gate)
        {
            if (colour)
            {
                if (!_colourOf.TryGetValue(name, out var c))
                    _colourOf[name] = c = Colours[_colourOf.Count % Colours.Length];
                writer.WriteLine($"{c}[{name}]{Reset} {line}");
            }
            else
            {
                writer.WriteLine($"[{name}] {line}");
            }
            writer.Flush();
        }
    }

    /// <summary>The launcher's own messages.</summary>
    public void Launcher(string line) => WriteLine("apphost", line);
}
