using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Tests.Infrastructure;

/// <summary>The JSON hub protocol under another name, counting how often a message is serialized.</summary>
internal sealed class CountingProtocol : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new();
    private int _serializations;

    public int Serializations => Volatile.Read(ref _serializations);

    public string Name => "counting";

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        Interlocked.Increment(ref _serializations);
        _inner.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        Interlocked.Increment(ref _serializations);
        return _inner.GetMessageBytes(message);
    }
}
