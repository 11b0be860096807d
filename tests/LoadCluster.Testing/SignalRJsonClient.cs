using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LoadCluster.Testing;

/// <summary>
/// A hub connection as the browser element opens one: the official SignalR client, JSON protocol,
/// WebSockets with negotiation skipped. It collects every <c>turbo-stream</c> push in order, for
/// tests to wait for or count.
/// </summary>
public sealed class SignalRJsonClient : IAsyncDisposable
{
    /// <summary>The client method pushes arrive on (the wire contract with the browser element).</summary>
    private const string PushMethod = "turbo-stream";

    private readonly HubConnection _connection;
    private readonly Channel<Invocation> _received = Channel.CreateUnbounded<Invocation>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;

    private SignalRJsonClient(HubConnection connection)
    {
        _connection = connection;
        connection.On<string?>(PushMethod, markup => _received.Writer.TryWrite(new Invocation(PushMethod, [markup])));
        connection.Closed += _ =>
        {
            _received.Writer.TryComplete();
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public sealed record Invocation(string Target, JsonArray Arguments);

    /// <summary>Every push received from the server, in order.</summary>
    public ChannelReader<Invocation> Received => _received.Reader;

    /// <summary>Completes when the server closes the connection or it drops.</summary>
    public Task Closed => _closed.Task;

    /// <param name="configure">WebSocket options, e.g. request headers (Origin, a test user).</param>
    public static async Task<SignalRJsonClient> ConnectAsync(Uri hubUrl, Action<ClientWebSocketOptions>? configure = null, CancellationToken ct = default)
    {
        SignalRJsonClient? client = null;
        var connection = new HubConnectionBuilder()
            .WithUrl(hubUrl, HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                // The client's own socket, so that a test can drop it (Abort) as a killed browser would.
                options.WebSocketFactory = async (context, token) =>
                {
                    var socket = new ClientWebSocket();
                    configure?.Invoke(socket.Options);
                    await socket.ConnectAsync(context.Uri, token);
                    client!._socket = socket;
                    return socket;
                };
            })
            .Build();
        client = new SignalRJsonClient(connection);
        try
        {
            await connection.StartAsync(ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>Invokes a hub method and waits for its completion; a hub error becomes <see cref="HubErrorException"/>.</summary>
    public async Task<JsonNode?> InvokeAsync(string method, params object?[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var result = await _connection.InvokeCoreAsync(method, typeof(JsonElement?), args, timeout.Token);
            return result is JsonElement element ? JsonNode.Parse(element.GetRawText()) : null;
        }
        catch (HubException e) when (_connection.State == HubConnectionState.Connected && !e.Message.StartsWith("The server closed the connection", StringComparison.Ordinal))
        {
            throw new HubErrorException(e.Message);
        }
        catch (HubException e)
        {
            // The client reports the server closing the connection as a HubException too.
            throw new IOException($"the connection closed during {method}: {e.Message}", e);
        }
    }

    /// <summary>Waits for the next invocation of the given client method.</summary>
    public async Task<Invocation> NextAsync(string target, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cts.Token);
                if (message.Target == target) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{target}' message within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>Drains everything received so far, waiting <paramref name="quiet"/> for stragglers.</summary>
    public async Task<List<Invocation>> DrainAsync(TimeSpan quiet)
    {
        var list = new List<Invocation>();
        while (true)
        {
            using var cts = new CancellationTokenSource(quiet);
            try { list.Add(await _received.Reader.ReadAsync(cts.Token)); }
            catch (OperationCanceledException) { return list; }
            catch (ChannelClosedException) { return list; }
        }
    }

    /// <summary>Drops the connection without a close handshake, as a killed browser would.</summary>
    public void Abort() => _socket?.Abort();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>The server answered an invocation with an error.</summary>
public sealed class HubErrorException(string message) : Exception(message);
