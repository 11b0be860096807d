using System.Text.RegularExpressions;

namespace LoadCluster.Web.Tests.Architecture;

/// <summary>
/// The Web's layers point one way: Board (the state and what changes it) ← Overview (the views)
/// ← the fragment components ← Live (streams, the push gate) ← Pages, Api and the wiring. No file
/// names a type of a layer above its own, read from the sources as a reviewer would.
/// </summary>
public sealed partial class LayerTests
{
    private static readonly string Web = Path.Combine(Checkout.Root, "src", "LoadCluster.Web");

    /// <summary>Folders (or files) of each layer, bottom first; the wiring and what serves requests on top.</summary>
    private static readonly string[][] Layers =
    [
        ["Board", "Cluster", "Redis", "WebMetrics.cs", "WebLog.cs", "LoadBoardOptions.cs"],
        ["Overview"],
        ["Components/Fragments", "Components/Format.cs"],
        ["Live"],
        ["Components/Pages", "Components/Layout", "Components/Auth", "Api", "Security", "Extensions.cs", "Program.cs"],
    ];

    [Fact]
    public void No_file_names_a_type_of_a_layer_above_its_own()
    {
        var declared = Layers.Select(layer => Files(layer).SelectMany(f => Declared().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet()).ToList();
        var upward = new List<string>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            var above = declared.Skip(layer + 1).SelectMany(names => names).ToHashSet();
            foreach (var file in Files(Layers[layer]))
            {
                var words = Word().Matches(File.ReadAllText(file)).Select(m => m.Value).ToHashSet();
                upward.AddRange(words.Intersect(above).Select(name => $"{Path.GetRelativePath(Web, file)} names {name}"));
            }
        }

        Assert.Empty(upward);
    }

    [Fact]
    public void Every_source_file_of_the_web_is_in_a_layer()
    {
        var layered = Layers.SelectMany(Files).ToHashSet();
        var sources = Directory.EnumerateFiles(Web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetDirectoryName(f) != Path.Combine(Web, "Components") || !Path.GetFileName(f).EndsWith(".razor", StringComparison.Ordinal)); // App, Routes, _Imports: the document itself

        Assert.Empty(sources.Where(f => !layered.Contains(f)).Select(f => Path.GetRelativePath(Web, f)));
    }

    private static IEnumerable<string> Files(string[] layer) => layer.SelectMany(part =>
    {
        var path = Path.Combine(Web, part);
        return File.Exists(path) ? [path] : Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal));
    });

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z]\w*)")]
    private static partial Regex Declared();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Word();
}
