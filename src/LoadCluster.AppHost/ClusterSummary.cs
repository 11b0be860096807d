using System.Text;

namespace LoadCluster.AppHost;

/// <summary>The table printed once the cluster is up: name, URL, pid of every resource.</summary>
internal static class ClusterSummary
{
    public static string Format(Cluster cluster)
    {
        var rows = cluster.Resources.Select(r => (r.Name, Url: r.Url?.ToString().TrimEnd('/') ?? "-", Pid: r.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")).ToList();
        var nameWidth = Math.Max(4, rows.Max(r => r.Name.Length));
        var urlWidth = Math.Max(3, rows.Max(r => r.Url.Length));
        var text = new StringBuilder();
        text.AppendLine($"{"NAME".PadRight(nameWidth)}  {"URL".PadRight(urlWidth)}  PID");
        foreach (var (name, url, pid) in rows)
            text.AppendLine($"{name.PadRight(nameWidth)}  {url.PadRight(urlWidth)}  {pid}");
        return text.ToString();
    }
}
