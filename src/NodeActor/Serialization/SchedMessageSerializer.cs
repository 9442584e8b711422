using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using Sched.Contracts.Messages;

namespace Sched.NodeActor.Serialization;

/// <summary>
/// Puts every <see cref="ISchedMessage"/> on the wire as UTF-8 JSON (System.Text.Json, source-generated, enums as
/// names). The manifest is the message type's short name, looked up in <see cref="SchedMessageRegistry"/>.
/// Bound by <see cref="SchedSerialization.Hocon"/>.
/// </summary>
public sealed class SchedMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Fixed for ever: it is written into every remote envelope. Akka reserves 0-100.</summary>
    public const int SerializerId = 4053;

    public SchedMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        SchedMessageRegistry.ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{o.GetType().FullName} is not a concrete ISchedMessage from Sched.Contracts, so it has no manifest.");

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, TypeInfo(obj.GetType()));
    }

    /// <summary>Reads a message by its manifest; Akka's own "Namespace.Type, Assembly" form is accepted for registered types.</summary>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!SchedMessageRegistry.TryResolve(manifest, out var type))
        {
            throw new SerializationException(
                $"Unknown sched message manifest '{manifest}': no ISchedMessage type of that name in Sched.Contracts " +
                "(is the sending node running a different version?).");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, TypeInfo(type))
                ?? throw new SerializationException($"A '{manifest}' message arrived as JSON null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"A '{manifest}' message could not be read: {e.Message}", e);
        }
    }

    /// <summary>The same JSON outside Akka, e.g. for what the scheduler keeps on disk.</summary>
    public static byte[] ToJson<T>(T message)
        where T : ISchedMessage => JsonSerializer.SerializeToUtf8Bytes(message, TypeInfo(typeof(T)));

    public static T FromJson<T>(byte[] bytes)
        where T : ISchedMessage =>
        (T)(JsonSerializer.Deserialize(bytes, TypeInfo(typeof(T))) ?? throw new SerializationException($"{typeof(T).Name} stored as JSON null"));

    private static JsonTypeInfo TypeInfo(Type type) =>
        SchedMessageJsonContext.Default.GetTypeInfo(type)
        ?? throw new SerializationException(
            $"{type.Name} is an ISchedMessage but has no [JsonSerializable(typeof({type.Name}))] on SchedMessageJsonContext.");
}
