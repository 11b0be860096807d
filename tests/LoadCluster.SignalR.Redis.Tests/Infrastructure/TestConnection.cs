using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

/// <summary>
/// A hub connection without a socket: it records the bytes the lifetime manager writes to it,
/// as the real connection would put them on the wire (JSON protocol), and decodes them back.
/// </summary>
internal sealed class TestConnection : HubConnectionContext
{
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly IHubProtocol _protocol;
    private readonly TaskCompletionSource? _writesReleased;

    /// <param name="holdWrites">Every write hangs until <see cref="ReleaseWrites"/>, as a client that stopped reading would make it.</param>
    public TestConnection(string? userId = null, IHubProtocol? protocol = null, bool failWrites = false, bool holdWrites = false)
        : base(new DefaultConnectionContext(Guid.NewGuid().ToString("N")), new HubConnectionContextOptions(), NullLoggerFactory.Instance)
    {
        UserIdentifier = userId;
        _protocol = protocol ?? new JsonHubProtocol();
        FailWrites = failWrites;
        if (holdWrites) _writesReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed record Received(string Target, JsonArray Arguments, string? InvocationId)
    {
        public string? FirstArgument => Arguments.Count > 0 ? Arguments[0]?.ToString() : null;
    }

    public bool FailWrites { get; }

    public override IHubProtocol Protocol => _protocol;

    public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default) =>
        Record(_protocol.GetMessageBytes(message));

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default) =>
        Record(message.GetSerializedMessage(_protocol));

    /// <summary>Lets held writes (and every later one) through.</summary>
    public void ReleaseWrites() => _writesReleased?.TrySetResult();

    private ValueTask Record(ReadOnlyMemory<byte> bytes)
    {
        if (FailWrites) throw new IOException("this test connection always fails to write");
        if (_writesReleased is { Task.IsCompleted: false } held) return RecordWhenReleased(held.Task, bytes);
        var json = Encoding.UTF8.GetString(bytes.Span).TrimEnd('\u001e');
        var node = JsonNode.Parse(json)!.AsObject();
        _received.Writer.TryWrite(new Received((string)node["target"]!, node["arguments"]!.AsArray(), (string?)node["invocationId"]));
        return ValueTask.CompletedTask;
    }

    private async ValueTask RecordWhenReleased(Task released, ReadOnlyMemory<byte> bytes)
    {
        await released;
        await Record(bytes);
    }

    /// <summary>The next message written to this connection, or a timeout naming the connection.</summary>
    public async Task<Received> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"connection {ConnectionId} received nothing within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
        }
    }

    /// <summary>Everything received within a quiet period (for "never twice" and "nothing else" assertions).</summary>
    public async Task<List<Received>> DrainAsync(TimeSpan? quiet = null)
    {
        var list = new List<Received>();
        while (true)
        {
            using var cts = new CancellationTokenSource(quiet ?? TimeSpan.FromMilliseconds(300));
            try { list.Add(await _received.Reader.ReadAsync(cts.Token)); }
            catch (OperationCanceledException) { return list; }
        }
    }
}
