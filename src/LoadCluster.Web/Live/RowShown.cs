using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace LoadCluster.Web.Live;

/// <summary>
/// What an overview row shows, as a 64-bit hash of its markup without its sample time (<c>data-ts</c>,
/// read by tests and the benchmark, never shown): two renderings with the same hash look the same,
/// since every value in the markup is already rounded as the page shows it. Never 0 (0 is "not known").
/// </summary>
internal static class RowShown
{
    private const string Ts = " data-ts=\"";

    public static ulong Of(string markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        var before = markup.AsSpan();
        ReadOnlySpan<char> after = [];
        var at = before.IndexOf(Ts, StringComparison.Ordinal);
        if (at >= 0)
        {
            after = before[(at + Ts.Length)..];
            after = after[(after.IndexOf('"') + 1)..];
            before = before[..at];
        }
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(after), (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(before)));
        return hash == 0 ? 1 : hash;
    }
}
