using System.Diagnostics;
using System.Net.Sockets;

namespace LoadCluster.Testing;

/// <summary>
/// A real redis-server process on a free loopback port, for tests. It can be stopped and started
/// again on the same port to simulate an outage. Disposing kills it and deletes its folder.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("loadcluster-redis-").FullName;
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public static string Executable => File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";

    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        var server = new RedisServer(port ?? FreePort.Next());
        await server.StartAsync();
        return server;
    }

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var psi = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir })
            psi.ArgumentList.Add(arg);
        try
        {
            _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run 'apt-get install -y redis-server' (the README's test command does).", e);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAcceptingAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Kills the server (SIGKILL), as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (read > 0 && buffer[0] == (byte)'+') return;
            }
            catch (SocketException) { }
            catch (IOException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"redis-server did not accept connections on port {Port} within {timeout.TotalSeconds} s");
            if (_process is { HasExited: true })
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} (port {Port} in use?)");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
