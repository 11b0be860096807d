using System.Net;

namespace LoadCluster.AppHost.Tests;

/// <summary>
/// The README's run command as a user runs it: up with the line scripts wait for and the
/// dashboard's login URL, and then stopped by Ctrl+C or SIGTERM with nothing left behind.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RunTests
{
    private static readonly TimeSpan Up = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(PosixSignalNumber.Int, true)]   // Ctrl+C in a terminal: the whole foreground process group
    [InlineData(PosixSignalNumber.Term, false)] // a service manager's stop: dotnet run alone
    public async Task Up_line_then_a_signal_stops_every_process_it_started(PosixSignalNumber signal, bool group)
    {
        var port = FreePort.Next();
        await using var host = AppHostProcess.Start(["--replicas", "2", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--redis", "local"]);
        await host.WaitForLineAsync(l => l == $"LoadCluster is up at http://127.0.0.1:{port}", Up);
        var login = await host.WaitForLineAsync(l => l.StartsWith("Aspire dashboard: http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Contains("Redis: a local redis-server (--redis local).", host.Stdout, StringComparison.Ordinal);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/alive")).StatusCode);
        // The login URL sets the dashboard's cookie and sends the browser on to the resources.
        var dashboard = await http.GetAsync(login["Aspire dashboard: ".Length..]);
        Assert.True(dashboard.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"login answered {dashboard.StatusCode}");
        Assert.Contains(dashboard.Headers.GetValues("Set-Cookie"), c => c.Contains(".Aspire.Dashboard.Auth", StringComparison.Ordinal));

        var started = ProcessTree.Of(host.Pid);
        Assert.Contains(started, p => p.Command.Contains("redis-server", StringComparison.Ordinal));
        Assert.Equal(2, started.Count(p => p.Command.Contains("LoadCluster.Web/bin/", StringComparison.Ordinal)));
        Assert.Contains(started, p => p.Command.Contains("LoadCluster.Collector/bin/", StringComparison.Ordinal));

        host.Signal(signal, group);
        await host.WaitForExitAsync(Stop);
        var deadline = DateTime.UtcNow + Stop;
        IReadOnlyList<ProcessTree.Entry> left;
        while ((left = ProcessTree.StillRunning(started)).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        Assert.True(left.Count == 0, "still running after the AppHost stopped:\n" + string.Join('\n', left.Select(p => $"{p.Pid} {p.Command}")));
    }
}
