namespace LoadCluster.EndToEnd.Tests;

/// <summary>
/// One web replica as the AppHost runs it: its name (as in the dashboard and on the board), its
/// own URL behind the front door, and the pid DCP reports, which is the <c>dotnet run</c> that
/// launched the app.
/// </summary>
public sealed record Replica(string Name, Uri Url, int Pid)
{
    public static Replica Of(ResourceEvent e)
    {
        var pid = e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();
        var urls = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value
            ?? throw new InvalidOperationException($"{e.ResourceId} has no ASPNETCORE_URLS");
        // Kestrel listens on localhost; tests ask it on the loopback address.
        var url = new UriBuilder(urls.Split(';')[0]) { Host = "127.0.0.1" }.Uri;
        return new Replica(e.ResourceId, url, int.Parse(pid ?? throw new InvalidOperationException($"{e.ResourceId} has no pid"), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL of the web app itself (the child of <c>dotnet run</c>), as a crash would end it.</summary>
    public void Kill()
    {
        var children = File.ReadAllText($"/proc/{Pid}/task/{Pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var app = children.Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).Single(c => File.ReadAllText($"/proc/{c}/cmdline").Contains("LoadCluster.Web", StringComparison.Ordinal));
        using var process = System.Diagnostics.Process.GetProcessById(app);
        process.Kill();
    }
}
