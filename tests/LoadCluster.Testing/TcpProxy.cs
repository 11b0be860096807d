using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadCluster.Testing;

/// <summary>
/// A loopback TCP proxy in front of a server, for faults no server can make by itself: it can
/// make the connections that have subscribed (sent a Redis SUBSCRIBE) deaf, so they stay open
/// and writable but nothing the server sends reaches the client any more, as on a half-open
/// link behind a NAT or a broken middlebox. Connections opened later pass normally.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly Task _accepting;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Makes every open connection that has sent SUBSCRIBE deaf; returns how many.</summary>
    public int DeafenSubscribers()
    {
        var count = 0;
        foreach (var link in _links.Keys.Where(l => l.Subscribed))
        {
            link.Deaf = true;
            count++;
        }
        return count;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = RunAsync(client);
        }
    }

    private async Task RunAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            var link = new Link();
            _links.TryAdd(link, 0);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), link, upstream: true);
                var down = PumpAsync(server.GetStream(), client.GetStream(), link, upstream: false);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException) { }
            finally
            {
                _links.TryRemove(link, out _);
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Link link, bool upstream)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0) return;
                if (upstream && !link.Subscribed && Encoding.ASCII.GetString(buffer, 0, read).Contains("SUBSCRIBE", StringComparison.OrdinalIgnoreCase))
                    link.Subscribed = true;
                if (!upstream && link.Deaf) continue; // read and dropped: the client hears nothing
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed class Link
    {
        public volatile bool Subscribed;
        public volatile bool Deaf;
    }
}
