using System.Globalization;
using System.Text;

namespace LoadCluster.Samples;

/// <summary>
/// One downsampled point of a host's long history: the averages of every sample whose time fell in
/// the bucket starting at <see cref="Ts"/>, and the highest load 1 among them.
/// </summary>
/// <remarks>
/// Wire format (one Redis list element, ASCII, invariant culture, never change the field order):
/// <c>ts;load1;load5;load15;cpu;load1Max;samples</c>, e.g. <c>1763750000000;0.52;0.41;0.3;12.5;0.9;15</c>.
/// Text, not JSON: at 5,000 hosts and 528 points each, the field names alone would double the memory.
/// </remarks>
public sealed record RollupPoint(long Ts, double Load1, double Load5, double Load15, double Cpu, double Load1Max, int Samples)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public byte[] ToBytes() => Encoding.ASCII.GetBytes(string.Join(';',
        Ts.ToString(Invariant), Number(Load1), Number(Load5), Number(Load15), Number(Cpu), Number(Load1Max), Samples.ToString(Invariant)));

    /// <summary>Parses a stored point; null when it is not one (readers skip such elements).</summary>
    public static RollupPoint? TryParse(string? text)
    {
        var parts = text?.Split(';');
        if (parts is not { Length: 7 }) return null;
        if (!long.TryParse(parts[0], NumberStyles.Integer, Invariant, out var ts) || ts <= 0) return null;
        var values = new double[5];
        for (var i = 0; i < 5; i++)
        {
            if (!double.TryParse(parts[i + 1], NumberStyles.Float, Invariant, out values[i]) || !double.IsFinite(values[i]) || values[i] < 0) return null;
        }
        if (!int.TryParse(parts[6], NumberStyles.Integer, Invariant, out var samples) || samples < 1) return null;
        return new RollupPoint(ts, values[0], values[1], values[2], values[3], values[4], samples);
    }

    // Three decimals are more than a chart can show and keep the element short.
    private static string Number(double value) => Math.Round(value, 3).ToString("0.###", Invariant);
}
