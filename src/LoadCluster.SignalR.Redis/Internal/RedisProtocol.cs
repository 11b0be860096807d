using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// Encodes and decodes what servers publish to each other. Binary, little-endian, strings as
/// BinaryWriter writes them (7-bit encoded byte length, then UTF-8).
/// </summary>
/// <remarks>
/// Every message starts with a format byte (currently 1; never reuse a number).
/// <code>
/// invocation:    format, origin:string, excluded:list, groups:list,
///                protocols:int32 count, then per protocol name:string, length:int32, bytes,
///                route:byte (0 none, 1 client result, then invocation id:string, return server:string)
/// return:        format, invocation id:string, protocol name:string, length:int32, bytes (the client's completion as it sent it)
/// group command: format, id:int32, origin:string, action:byte (1 add, 2 remove), group:string, connection:string
/// ack:           format, id:int32
/// list:          count:int32, then that many strings
/// </code>
/// A message that does not decode raises <see cref="InvalidDataException"/>; the caller logs it and drops it.
/// </remarks>
internal static class RedisProtocol
{
    private const byte Format = 1;

    // Caps that make a corrupt count fail as invalid data instead of allocating gigabytes.
    private const int MaxListCount = 1_000_000;
    private const int MaxProtocols = 64;

    public static byte[] WriteInvocation(string origin, IReadOnlyList<string>? excluded, IReadOnlyList<string>? groups, SerializedHubMessage message, IReadOnlyList<IHubProtocol> protocols, ClientResultRoute? route = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(origin);
            WriteList(writer, excluded);
            WriteList(writer, groups);
            writer.Write(protocols.Count);
            foreach (var protocol in protocols)
            {
                var bytes = message.GetSerializedMessage(protocol);
                writer.Write(protocol.Name);
                writer.Write(bytes.Length);
                writer.Write(bytes.Span);
            }
            writer.Write(route is null ? (byte)0 : (byte)1);
            if (route is not null)
            {
                writer.Write(route.InvocationId);
                writer.Write(route.ReturnServer);
            }
        }
        return stream.ToArray();
    }

    public static RedisInvocation ReadInvocation(byte[] data) => Read(data, reader =>
    {
        var origin = reader.ReadString();
        var excluded = ReadList(reader);
        var groups = ReadList(reader);
        var count = reader.ReadInt32();
        if (count is < 0 or > MaxProtocols) throw new InvalidDataException($"invalid protocol count {count}");
        var serialized = new List<SerializedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var length = reader.ReadInt32();
            if (length < 0 || length > data.Length) throw new InvalidDataException($"invalid payload length {length}");
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length) throw new InvalidDataException("payload truncated");
            serialized.Add(new SerializedMessage(name, bytes));
        }
        var route = reader.ReadByte() switch
        {
            0 => null,
            1 => new ClientResultRoute(reader.ReadString(), reader.ReadString()),
            var other => throw new InvalidDataException($"unknown route kind {other}"),
        };
        return new RedisInvocation(origin, excluded, groups, new SerializedHubMessage(serialized), route);
    });

    public static byte[] WriteReturn(string invocationId, string protocolName, ReadOnlySpan<byte> completion)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(invocationId);
            writer.Write(protocolName);
            writer.Write(completion.Length);
            writer.Write(completion);
        }
        return stream.ToArray();
    }

    public static (string InvocationId, string ProtocolName, byte[] Completion) ReadReturn(byte[] data) => Read(data, reader =>
    {
        var invocationId = reader.ReadString();
        var protocolName = reader.ReadString();
        var length = reader.ReadInt32();
        if (length < 0 || length > data.Length) throw new InvalidDataException($"invalid payload length {length}");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new InvalidDataException("payload truncated");
        return (invocationId, protocolName, bytes);
    });

    public static byte[] WriteGroupCommand(RedisGroupCommand command)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(command.Id);
            writer.Write(command.Origin);
            writer.Write((byte)command.Action);
            writer.Write(command.GroupName);
            writer.Write(command.ConnectionId);
        }
        return stream.ToArray();
    }

    public static RedisGroupCommand ReadGroupCommand(byte[] data) => Read(data, reader =>
    {
        var id = reader.ReadInt32();
        var origin = reader.ReadString();
        var action = (GroupAction)reader.ReadByte();
        if (action is not (GroupAction.Add or GroupAction.Remove)) throw new InvalidDataException($"unknown group action {(byte)action}");
        return new RedisGroupCommand(id, origin, action, reader.ReadString(), reader.ReadString());
    });

    public static byte[] WriteAck(int id)
    {
        var bytes = new byte[5];
        bytes[0] = Format;
        BitConverter.TryWriteBytes(bytes.AsSpan(1), id);
        return bytes;
    }

    public static int ReadAck(byte[] data) => Read(data, reader => reader.ReadInt32());

    private static T Read<T>(byte[] data, Func<BinaryReader, T> body)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            var format = reader.ReadByte();
            if (format != Format) throw new InvalidDataException($"unknown message format {format}");
            var result = body(reader);
            if (reader.BaseStream.Position != data.Length) throw new InvalidDataException("trailing bytes after the message");
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or DecoderFallbackException)
        {
            throw new InvalidDataException($"backplane message does not decode: {e.Message}", e);
        }
    }

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string>? items)
    {
        writer.Write(items?.Count ?? 0);
        if (items is null) return;
        foreach (var item in items) writer.Write(item);
    }

    private static string[] ReadList(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MaxListCount) throw new InvalidDataException($"invalid list count {count}");
        if (count == 0) return [];
        var items = new string[count];
        for (var i = 0; i < count; i++) items[i] = reader.ReadString();
        return items;
    }
}
