using System.Globalization;

namespace LoadCluster.AppHost.Tests;

/// <summary>
/// Every process a run started, read from /proc: the descendants of <c>dotnet run</c>, and DCP,
/// which detaches from the AppHost (its parent is init) but names the process it serves with
/// <c>--monitor PID</c>, with all its own descendants (the services, redis-server).
/// </summary>
internal static class ProcessTree
{
    public sealed record Entry(int Pid, int Parent, string Command);

    public static IReadOnlyList<Entry> Of(int root)
    {
        var all = Snapshot();
        var found = new Dictionary<int, Entry>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            foreach (var entry in all.Where(e => !found.ContainsKey(e.Pid) &&
                         (e.Pid == pid || e.Parent == pid || e.Command.Contains($"--monitor {pid.ToString(CultureInfo.InvariantCulture)} ", StringComparison.Ordinal))))
            {
                found[entry.Pid] = entry;
                queue.Enqueue(entry.Pid);
            }
        }
        return [.. found.Values.OrderBy(e => e.Pid)];
    }

    /// <summary>Those of <paramref name="entries"/> still running (same pid, same command: not a reused pid, not a zombie).</summary>
    public static IReadOnlyList<Entry> StillRunning(IEnumerable<Entry> entries)
    {
        var now = Snapshot().ToDictionary(e => e.Pid);
        return [.. entries.Where(e => now.TryGetValue(e.Pid, out var current) && current.Command == e.Command)];
    }

    private static List<Entry> Snapshot()
    {
        var entries = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                // stat: "pid (comm) state ppid ...", comm may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z") continue;
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                entries.Add(new Entry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), command));
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return entries;
    }
}
