using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoadCluster.Benchmarks;

/// <summary>One bench/peer/loadgen.js process, driven by one JSON command per line (see the top of that file).</summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _one = new(1, 1);

    private LoadGenerator(Process process) => _process = process;

    public int Id => _process.Id;

    public static LoadGenerator Start(string peerDirectory)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = peerDirectory };
        psi.ArgumentList.Add("--max-old-space-size=4096");
        psi.ArgumentList.Add(Path.Combine(peerDirectory, "loadgen.js"));
        return new LoadGenerator(Process.Start(psi) ?? throw new InvalidOperationException("node did not start"));
    }

    public async Task<JsonNode> SendAsync(object command)
    {
        await _one.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the load generator exited");
            return JsonNode.Parse(line)!;
        }
        finally
        {
            _one.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _one.Dispose();
    }
}
