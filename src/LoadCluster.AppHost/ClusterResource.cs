using System.ComponentModel;
using System.Diagnostics;
using LoadCluster.AppHost.Resources;

namespace LoadCluster.AppHost;

/// <summary>
/// One supervised child process of the cluster (redis, collector, web-N, nginx). A child that
/// exits on its own is restarted with backoff (1 s, 2 s, 4 s ... 30 s; back to 1 s after a
/// minute up) and the restart is reported; <see cref="StopAsync"/> stops it for good.
/// </summary>
public sealed class ClusterResource
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HealthyResetsBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly string? SetSid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;

    private readonly ProcessSpec _spec;
    private readonly Func<CancellationToken, Task<bool>> _isHealthy;
    private readonly OutputSink _output;
    private readonly Action<int> _started;
    private readonly Lock _gate = new();
    private Process? _process;
    private DateTime _startedAt;
    private bool _wanted;
    private int _backoffStep;
    private CancellationTokenSource _pendingRestart = new();

    internal ClusterResource(string name, Uri? url, ProcessSpec spec, Func<CancellationToken, Task<bool>> isHealthy, OutputSink output, Action<int> started)
    {
        _started = started;
        Name = name;
        Url = url;
        _spec = spec;
        _isHealthy = isHealthy;
        _output = output;
    }

    /// <summary>Resource name, also the prefix of its output lines.</summary>
    public string Name { get; }

    /// <summary>Where it listens (http:// for web and nginx, redis:// for Redis); null when it serves nothing.</summary>
    public Uri? Url { get; }

    /// <summary>Process id of the running child; null while it is not running.</summary>
    public int? Pid
    {
        get
        {
            lock (_gate) return _process is { HasExited: false } p ? p.Id : null;
        }
    }

    public bool IsRunning => Pid is not null;

    /// <summary>How many times the supervisor restarted it after an unexpected exit.</summary>
    public int Restarts { get; private set; }

    /// <summary>Starts the child (if not running), keeps it running, and waits until it is healthy.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        lock (_gate)
        {
            _wanted = true;
            if (_process is not { HasExited: false }) Launch();
        }
        await WaitHealthyAsync(timeout, ct);
    }

    /// <summary>Asks the child to stop (SIGTERM), kills its process tree after 5 s, and does not restart it.</summary>
    public async Task StopAsync()
    {
        Process? process;
        lock (_gate)
        {
            _wanted = false;
            _pendingRestart.Cancel();
            process = _process;
        }
        if (process is null) return;
        try
        {
            if (!process.HasExited) Posix.Signal(process.Id, Posix.SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                _output.Launcher($"{Name} did not stop within {StopGrace.TotalSeconds} s of SIGTERM; killing it");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { } // never started or already reaped
        catch (Win32Exception e) { _output.Launcher($"{Name} could not be stopped: {e.Message}"); }
    }

    /// <summary>Kills the child's process tree (SIGKILL), as a crash would: the supervisor restarts it.</summary>
    public void Kill()
    {
        Process? process;
        lock (_gate) process = _process;
        try { process?.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
    }

    /// <summary>Whether its health check passes right now.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        try { return IsRunning && await _isHealthy(ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested) { return false; }
    }

    /// <summary>Polls the health check until it passes; throws <see cref="ClusterStartException"/> on timeout.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await IsHealthyAsync(ct))
        {
            if (DateTime.UtcNow > deadline)
                throw new ClusterStartException($"{Name} did not become healthy within {timeout.TotalSeconds:0} s; see its [{Name}] output above.");
            await Task.Delay(200, ct);
        }
    }

    // Called under _gate.
    private void Launch()
    {
        var psi = new ProcessStartInfo
        {
            // setsid gives the child its own session, so a Ctrl+C in the terminal reaches only the
            // launcher, which then stops the children in reverse order. It execs in place: the pid is the child's.
            FileName = SetSid ?? _spec.FileName,
            WorkingDirectory = _spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (SetSid is not null) psi.ArgumentList.Add(_spec.FileName);
        foreach (var arg in _spec.Arguments) psi.ArgumentList.Add(arg);
        foreach (var (key, value) in _spec.Environment) psi.Environment[key] = value;

        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.WriteLine(Name, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.WriteLine(Name, e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new ClusterStartException($"{Name}: cannot start {_spec.FileName}: {e.Message}", e);
        }
        _started(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _startedAt = DateTime.UtcNow;
        _pendingRestart = new CancellationTokenSource();
        _ = SuperviseAsync(process, _pendingRestart.Token);
    }

    private async Task SuperviseAsync(Process process, CancellationToken restartCancelled)
    {
        await process.WaitForExitAsync(CancellationToken.None);
        TimeSpan delay;
        int restart;
        lock (_gate)
        {
            if (!_wanted || _process != process) return;
            if (DateTime.UtcNow - _startedAt >= HealthyResetsBackoff) _backoffStep = 0;
            delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, _backoffStep)));
            _backoffStep++;
            restart = ++Restarts;
        }
        _output.Launcher($"{Name} exited with code {process.ExitCode}; restarting (restart {restart})");
        try { await Task.Delay(delay, restartCancelled); }
        catch (OperationCanceledException) { return; }
        lock (_gate)
        {
            if (!_wanted || _process != process) return;
            try { Launch(); }
            catch (ClusterStartException e) { _output.Launcher(e.Message); }
        }
    }
}
